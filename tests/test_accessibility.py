"""Accessibility: axe-core finds no violation on any page, in the light and the
dark scheme, and every diagram is named for assistive technology, both in its
source and on the rendered page."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from accessible_names.diagrams import accessible_title, declared_line, split_front_matter
from browser import assert_diagrams_drawn, diagrams_in, launch_chromium
from content.diagram_sources import Diagram, all_diagrams
from site_build import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "node_modules/axe-core/axe.min.js"
DIAGRAMS = all_diagrams(REPO_ROOT)
# The context's colour-scheme preference, and the Material scheme it must select.
SCHEMES = {"light": "default", "dark": "slate"}
# Mermaid diagram types whose grammar has no accTitle/accDescr: their name is a
# front matter `title:` (named on the page by scripts/accessible_names/diagrams.py).
NO_ACC_STATEMENTS = {"mindmap"}


def diagram_type(source: str) -> str:
    body = split_front_matter(source)[1]
    lines = [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("%%")]
    return lines[0].split()[0] if lines else ""


def site_pages(site: Path) -> list[str]:
    """The URL path of every HTML page in the built site, the 404 page included."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site)
        if relative.parts[0] == "assets":
            continue
        path = relative.as_posix()
        pages.append(path.removesuffix("index.html"))
    return pages


def describe(violations: list[dict], path: str) -> list[str]:
    return [
        f"/{path}: {v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:5])
        for v in violations
    ]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def published_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site on 127.0.0.1 under the same path as on its real host.

    The 404 page links its assets by absolute path (it is served for any URL), so
    only under that path does it load its styles and scripts as readers get them.
    """
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    prefix = urlsplit(config["site_url"]).path.strip("/")
    root = tmp_path_factory.mktemp("published")
    mount = root / prefix if prefix else root
    mount.parent.mkdir(parents=True, exist_ok=True)
    if prefix:
        mount.symlink_to(built_site, target_is_directory=True)
    else:
        root = built_site
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{prefix + '/' if prefix else ''}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def open_context(browser, scheme: str):
    # axe-core goes in as an inline script, which the site's policy would block:
    # this test is about accessibility, tests/test_content_security_policy.py about the policy.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    return context


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_on_any_page(scheme: str, built_site: Path, published_url: str, browser):
    pages = site_pages(built_site)
    assert "" in pages and "404.html" in pages
    context = open_context(browser, scheme)
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in pages:
            page.goto(published_url + path, wait_until="load")
            html = (built_site / (path + "index.html" if path.endswith("/") or not path else path)).read_text(
                encoding="utf-8"
            )
            # Diagrams are inline SVG, drawn at build time: axe checks them with the page.
            assert_diagrams_drawn(page, diagrams_in(html))
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            problems += describe(axe_violations(page), path)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_in_open_search_results(scheme: str, published_url: str, browser):
    context = open_context(browser, scheme)
    page = context.new_page()
    try:
        page.goto(published_url, wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("coupling", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        problems = describe(axe_violations(page), "(search results)")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_site_has_diagrams_to_name():
    assert DIAGRAMS


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda d: f"{d.path.relative_to(REPO_ROOT)}:{d.first_line}")
def test_every_diagram_declares_what_it_shows(diagram: Diagram):
    kind = diagram_type(diagram.source)
    title = accessible_title(diagram.source)
    if kind in NO_ACC_STATEMENTS:
        assert title, f"a {kind} cannot carry accTitle: give it a front matter `title:` (---/title: .../---)"
        return
    body = split_front_matter(diagram.source)[1]
    assert declared_line(body, "accTitle"), "start the diagram with `accTitle: <what it shows>`"
    assert declared_line(body, "accDescr") or "accDescr {" in body, (
        "add `accDescr: <one or two sentences on what it shows>` under accTitle"
    )


def test_accessible_titles_are_read_from_acc_title_or_front_matter():
    assert accessible_title("flowchart LR\n  accTitle: Orders call Payments\n  A --> B\n") == (
        "Orders call Payments"
    )
    assert accessible_title("---\ntitle: Map of topics\n---\nmindmap\n  root((A))\n") == "Map of topics"
    assert accessible_title("---\nconfig:\n  theme: dark\n---\nflowchart LR\n  A --> B\n") is None
    assert accessible_title("flowchart LR\n  A -->|accTitle| B\n") is None


def test_every_drawn_diagram_has_an_accessible_name(built_site: Path, published_url: str, browser):
    context = open_context(browser, "light")
    page = context.new_page()
    unnamed: list[str] = []
    drawn = 0
    try:
        for path in site_pages(built_site):
            html_file = built_site / (path + "index.html" if path.endswith("/") or not path else path)
            expected = diagrams_in(html_file.read_text(encoding="utf-8"))
            if not expected:
                continue
            page.goto(published_url + path, wait_until="load")
            assert_diagrams_drawn(page, expected)
            # The accessibility tree as a screen reader gets it: the SVG is a
            # "document" named by Mermaid's <title>, or sits in a named figure.
            for index in range(expected):
                drawing = page.locator("div.mermaid").nth(index)
                named_figure = drawing.locator("xpath=ancestor::*[@role='figure'][@aria-label]")
                snapshot = drawing.aria_snapshot()
                named = snapshot.startswith('- document "') or (
                    named_figure.count() == 1 and named_figure.get_attribute("aria-label").strip() != ""
                )
                drawn += 1
                if not named:
                    unnamed.append(f"/{path} diagram {index + 1}: {snapshot.splitlines()[0]}")
    finally:
        context.close()
    assert drawn > 0
    assert unnamed == [], "\n".join(unnamed)
