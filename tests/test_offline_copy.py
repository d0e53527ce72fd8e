"""The offline copy: built with Material's offline plugin and zipped as
`make offline` does, then opened from file:// straight out of the zip, every
diagram renders, search works and nothing is fetched from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import DIAGRAM_SOURCE_BLOCK, assert_diagrams_drawn, diagrams_in, launch_chromium
from site_build import REPO_ROOT, build_site, offline_env

pytestmark = pytest.mark.browser

# The zip's single top-level folder, as the Makefile's `offline` target names it.
ZIP_FOLDER = "architecture-notes"


def build_offline_zip(workdir: Path) -> Path:
    """Run the Makefile's offline recipe (minus setup) into workdir; return the zip."""
    build_site(workdir / ZIP_FOLDER, offline_copy=True).check_returncode()
    archive = workdir / "architecture-notes-offline.zip"
    subprocess.run(
        [sys.executable, "-m", "zipfile", "-c", str(archive), ZIP_FOLDER],
        cwd=workdir,
        env=offline_env(),
        check=True,
    )
    return archive


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("offline-build")
    try:
        archive = build_offline_zip(workdir)
    except subprocess.CalledProcessError as error:
        pytest.fail(f"the offline copy does not build:\n{(error.stderr or '')[-4000:]}")
    target = tmp_path_factory.mktemp("offline-unzipped")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target)
    return target / ZIP_FOLDER


@pytest.fixture(scope="module")
def file_tab(unzipped: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    browser = next(launch_chromium())
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page, requests, errors
    context.close()


def html_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "assets"]


def test_the_zip_holds_the_whole_site_with_no_cdn(unzipped: Path):
    assert (unzipped / "index.html").is_file()
    # Diagrams are drawn at build time: no Mermaid library ships.
    assert not [path for path in unzipped.rglob("*") if "mermaid" in path.name.lower()]
    shim = unzipped / "assets/vendor/iframe-worker/shim.js"
    assert shim.read_bytes() == (REPO_ROOT / "node_modules/iframe-worker/shim/index.js").read_bytes()
    assert (unzipped / "search/search_index.js").is_file()
    for page in html_pages(unzipped):
        html = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in html and "jsdelivr" not in html, page
        assert DIAGRAM_SOURCE_BLOCK not in html, page
        # Links between pages name files (no directory URLs): file:// has no index.html fallback.
        assert 'href="./"' not in html, page


def test_every_page_renders_its_diagrams_from_file_urls(unzipped: Path, file_tab):
    page, requests, errors = file_tab
    drawn = 0
    for html_file in html_pages(unzipped):
        if html_file.name == "404.html":
            continue  # links by absolute path on the web host; never opened from a folder
        requests.clear()
        errors.clear()
        page.goto(html_file.as_uri(), wait_until="load")
        expected = diagrams_in(html_file.read_text(encoding="utf-8"))
        assert_diagrams_drawn(page, expected)
        texts = page.eval_on_selector_all("div.mermaid > svg", "svgs => svgs.map(s => s.textContent)")
        assert not [t for t in texts if "Syntax error" in t], f"{html_file}: Mermaid drew a syntax error"
        drawn += expected
        assert errors == [], f"{html_file}: {errors}"
        assert [url for url in requests if not url.startswith("file://")] == [], html_file
    assert drawn > 0, "the site has no diagram to check"


def test_search_works_from_file_urls(unzipped: Path, file_tab):
    page, requests, _ = file_tab
    requests.clear()
    page.goto((unzipped / "index.html").as_uri(), wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("coupling", delay=20)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=10_000)
    assert urlsplit(first.get_attribute("href")).path.endswith("/foundations/coupling.html")
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith((unzipped / "foundations/coupling.html").as_uri())
    assert [url for url in requests if not url.startswith("file://")] == []


def test_the_offline_plugin_is_off_for_the_published_site(built_site: Path):
    assert not (built_site / "search/search_index.js").exists()
    assert not (built_site / "assets/vendor/iframe-worker").exists()
    assert (built_site / "foundations/coupling/index.html").is_file()
