"""The Content-Security-Policy in every page (scripts/csp/, scripts/hooks/content_security_policy.py):
no inline script but Material's own by hash, nothing off-site; in the browser an
injected handler does not run while search, palette, tooltips and diagrams do."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser import launch_chromium, wait_until
from csp.iframe_worker import check_shim, iframe_script
from csp.policy import META_START, policy, script_hash, with_policy
from selectolax.lexbor import LexborHTMLParser
from site_build import REPO_ROOT, build_site
from test_published_html import MATERIAL_SCOPE, material_page

INJECTED = "<script>alert(1)</script>"


def directives(text: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in text.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def page_policy(html: str) -> str:
    meta = LexborHTMLParser(html).css_first('meta[http-equiv="Content-Security-Policy"]')
    assert meta is not None
    return meta.attributes["content"] or ""


@pytest.mark.gate
def test_the_policy_allows_no_inline_script_and_nothing_off_site():
    parsed = directives(policy(material_page()))
    assert "'unsafe-inline'" not in parsed["script-src"] and "'unsafe-eval'" not in parsed["script-src"]
    assert parsed["object-src"] == ["'none'"]
    assert parsed["base-uri"] == ["'self'"]
    for name in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert all(not source.startswith(("http", "*", "//")) for source in parsed[name]), name
        assert "'self'" in parsed[name]
    assert parsed["img-src"] == ["'self'", "data:"], "data: only for Material's own icon masks"


@pytest.mark.gate
def test_only_materials_inline_scripts_are_hashed():
    page = material_page(head=INJECTED)
    scope = LexborHTMLParser(MATERIAL_SCOPE).css_first("script").text()
    sources = directives(policy(page))["script-src"]
    assert script_hash(scope) in sources
    assert script_hash("alert(1)") not in sources
    assert len(sources) == 2


@pytest.mark.gate
def test_the_policy_is_in_the_head_before_any_script():
    html = with_policy(material_page())
    assert html.index(META_START) < html.index("<script")
    assert html.index('<meta charset="utf-8">') < html.index(META_START)


@pytest.mark.gate
def test_the_offline_copy_allows_the_search_shim_by_hash():
    check_shim(REPO_ROOT / "node_modules/iframe-worker/shim/index.js")
    page = material_page().replace('{"base": ".."}', '{"base": "..", "search": "../w/search.js"}')
    assert (
        script_hash(iframe_script("../w/search.js"))
        in directives(policy(page, offline_copy=True))["script-src"]
    )
    assert script_hash(iframe_script("../w/search.js")) not in directives(policy(page))["script-src"]


def test_every_built_page_carries_a_policy_that_allows_its_own_inline_scripts(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.count(META_START) == 1, path
        assert html.index(META_START) < html.index("<script"), path
        sources = directives(page_policy(html))["script-src"]
        for script in LexborHTMLParser(html).css("script"):
            if "src" in script.attributes or script.attributes.get("type") == "application/json":
                continue
            assert script_hash(script.text()) in sources, f"{path}: an inline script would be blocked"


# Records every policy violation from the first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def csp_tab() -> Iterator[object]:
    browser = next(launch_chromium())
    context = browser.new_context(color_scheme="light")
    context.add_init_script(RECORD_VIOLATIONS)
    yield context.new_page()
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


# Every diagram is drawn: an SVG in its element or its shadow root (drawn in the
# browser), or inline SVG in the article (drawn at build time).
DIAGRAMS_DRAWN = """() => {
  const drawn = [...document.querySelectorAll(".mermaid")];
  const inBrowser = drawn.length > 0 && drawn.every(
    (d) => d.querySelector("svg") || (d.shadowRoot && d.shadowRoot.querySelector("svg")));
  return inBrowser || document.querySelectorAll("article svg[aria-roledescription]").length > 0;
}"""
TOOLTIP_SHOWS = """(text) => [...document.querySelectorAll(".md-tooltip2, .md-tooltip")]
  .some((tip) => tip.textContent.includes(text))"""


@pytest.mark.browser
def test_search_palette_tooltips_and_diagrams_work_under_the_policy(site_url: str, csp_tab):
    page = csp_tab
    page.goto(site_url + "workflows/sagas/", wait_until="load")
    # Diagrams: each one drawn, however (in the browser or at build time), with no violation.
    wait_until(page, DIAGRAMS_DRAWN)
    # Tooltips: a footnote shows where it is cited, on hover.
    reference = page.locator("article sup[id^='fnref'] a").first
    footnote_id = reference.get_attribute("href").split("#")[-1]
    footnote = page.locator(f"li[id='{footnote_id}']").inner_text().strip()[:40]
    reference.hover()
    wait_until(page, TOOLTIP_SHOWS, footnote, 5_000)
    # Palette: the toggle switches the scheme (its state lives in localStorage).
    seen = []
    for _ in range(3):
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        seen.append(page.locator("body").get_attribute("data-md-color-scheme"))
    assert "slate" in seen
    # Search: the worker starts and answers.
    page.keyboard.press("/")
    page.keyboard.type("idempotency")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert violations(page) == []


HOSTILE_SITE = """\
site_name: Hostile
site_url: https://example.org/hostile/
theme:
  name: material
  features: [content.tooltips]
markdown_extensions:
  - abbr
  - attr_list
  - md_in_html
hooks:
  - {hooks}/content_security_policy.py
"""
HOSTILE_PAGE = """\
# Home

An <img src="missing.png" alt="x" onerror="window.__ran = 'handler'"> image, and the API.

<script>window.__ran = "inline";</script>

*[API]: <img src=missing.png onerror="window.__ran = 'tooltip'">
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site built with the policy hook but none of the gates, as if hostile content got past them."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(HOSTILE_SITE.format(hooks=REPO_ROOT / "scripts/hooks"), encoding="utf-8")
    build_site(root / "site", root / "mkdocs.yml").check_returncode()
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_injected_script_and_handlers_do_not_run(hostile_site_url: str, csp_tab):
    page = csp_tab
    page.goto(hostile_site_url, wait_until="load")
    # Material's tooltip writes the abbreviation's title as HTML: hover it, so the
    # <img onerror> it makes would run if the policy let it.
    page.locator("article abbr").first.hover()
    page.wait_for_timeout(1_000)
    assert page.evaluate("window.__ran") is None
    found = violations(page)
    assert any(v.startswith("script-src-elem inline") for v in found), found
    assert any(v.startswith("script-src-attr inline") for v in found), found
