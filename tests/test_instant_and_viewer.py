"""Reader comforts that the in-browser Mermaid runtime used to block: instant loading really
happens (page switches fetch only the content, and keep the drawn diagrams), and a diagram
wider than the content column opens at full size and pans by mouse and keyboard."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import diagrams_in, launch_chromium, wait_until
from site_build import REPO_ROOT, offline_env

pytestmark = pytest.mark.browser

BASE_PATH = "architecture-notes"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def config_with_site_url(site_url: str) -> str:
    """mkdocs.yml with another site_url (a line edit: the file has tags no YAML dumper keeps)."""
    lines = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    edited = [f"site_url: {site_url}" if line.startswith("site_url:") else line for line in lines]
    assert edited != lines, "mkdocs.yml has no site_url line"
    return "\n".join(edited) + "\n"


@pytest.fixture(scope="module")
def served_as_published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The site built for, and served at, http://127.0.0.1:<port>/architecture-notes/.

    Material engages instant loading only for URLs in the sitemap, which carry
    site_url's host, port and path: a site built for its real address and served
    on a random port silently does full page loads. So the port comes first.
    """
    root = tmp_path_factory.mktemp("published")
    site = root / BASE_PATH
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/{BASE_PATH}/"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", "-", "--site-dir", str(site)],
        input=config_with_site_url(url),
        cwd=REPO_ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        server.server_close()
        pytest.fail(f"the site does not build for {url}:\n{built.stderr[-3000:]}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


# Navigation and the article's own links: instant loading takes over both. With
# navigation.indexes the tabs open section index pages, which have no diagrams,
# so the home page's list of every note is where diagram pages are linked.
LINKS = "a.md-nav__link[href]:visible, a.md-tabs__link[href]:visible, article a[href]:visible"


def link_to_another_page_with_diagrams(site: Path, page) -> tuple[int, str, int]:
    """A visible navigation link to another page that has diagrams: (its index among LINKS, URL, diagrams)."""
    here = page.url.split("#")[0]
    hrefs = page.locator(LINKS).evaluate_all("links => links.map(a => a.href.split('#')[0])")
    for index, href in enumerate(hrefs):
        path = urlsplit(href).path.removeprefix(f"/{BASE_PATH}/")
        html_file = site / path / "index.html"
        if (
            href != here
            and html_file.is_file()
            and (count := diagrams_in(html_file.read_text(encoding="utf-8")))
        ):
            return index, href, count
    pytest.fail("no other page with diagrams is linked from the home page")


def test_instant_loading_switches_pages_and_keeps_the_diagrams(served_as_published, browser):
    site, url = served_as_published
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests: list[tuple[str, str]] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append((request.resource_type, request.url)))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="networkidle")
        page.evaluate("window.loadedOnce = true")
        index, target, diagrams = link_to_another_page_with_diagrams(site, page)
        requests.clear()
        page.locator(LINKS).nth(index).click()
        page.wait_for_url(target)
        wait_until(page, "n => document.querySelectorAll('div.mermaid > svg').length === n", diagrams)
        assert page.evaluate("window.loadedOnce === true"), "the page switch was a full page load"
        fetched = [kind for kind, request_url in requests if request_url.split("#")[0] == target]
        assert fetched and "document" not in fetched, requests
        assert not [request_url for _, request_url in requests if "mermaid" in request_url.lower()]
        assert all(urlsplit(request_url).hostname == "127.0.0.1" for _, request_url in requests)
        assert errors == []
    finally:
        context.close()


def test_a_wide_diagram_opens_full_size_and_pans_by_mouse_and_keyboard(served_as_published, browser):
    site, url = served_as_published
    # A phone-sized window: most diagrams are wider than its content column.
    context = browser.new_context(viewport={"width": 400, "height": 700})
    page = context.new_page()
    try:
        for html_file in sorted(site.rglob("index.html")):
            if not diagrams_in(html_file.read_text(encoding="utf-8")):
                continue
            page.goto(
                url + html_file.parent.relative_to(site).as_posix().removeprefix(".") + "/", wait_until="load"
            )
            button = page.locator("div.mermaid > button.diagram-open:visible").first
            if button.count():
                break
        else:
            pytest.fail("no diagram is wider than a phone's content column")
        figure = button.locator("xpath=..")
        natural = figure.locator("svg").evaluate("svg => svg.viewBox.baseVal.width")
        button.click()
        dialog = page.locator("dialog.diagram-dialog[open]")
        area = dialog.locator(".diagram-dialog__area")
        assert dialog.locator("svg").count() == 1 and figure.locator("svg").count() == 0
        assert dialog.locator("svg").evaluate("svg => svg.getBoundingClientRect().width") == pytest.approx(
            natural, abs=1
        )
        assert area.evaluate("a => a === document.activeElement")
        # Keyboard: the focused scroll area pans with the arrow keys.
        page.keyboard.press("ArrowRight")
        wait_until(page, "() => document.querySelector('.diagram-dialog__area').scrollLeft > 0")
        # Mouse: dragging left pans further right.
        before = area.evaluate("a => a.scrollLeft")
        box = area.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        assert area.evaluate("a => a.scrollLeft") > before
        # Escape closes it; the drawing is back in the page and the button has focus.
        page.keyboard.press("Escape")
        # The dialog's close event is queued as a task, so it lands after the key press returns.
        wait_until(page, "() => document.querySelector('dialog.diagram-dialog') === null")
        assert figure.locator("svg").count() == 1
        assert button.evaluate("b => b === document.activeElement")
    finally:
        context.close()
