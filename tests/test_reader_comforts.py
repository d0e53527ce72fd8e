"""Reader comforts that Material has and the site switches on: footnotes in a
tooltip where they are cited, breadcrumbs above a note, and the keyboard
shortcuts the home page tells readers about."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from browser import launch_chromium
from content.site_config import load_config, section_titles
from site_build import REPO_ROOT

pytestmark = pytest.mark.browser

NOTE = "data/acid-vs-base/"


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page
    context.close()
    foreign = [url for url in requests if urlsplit(url).hostname not in (None, "127.0.0.1")]
    assert foreign == [], "a comfort called another host"


def test_the_features_are_switched_on():
    features = load_config(REPO_ROOT)["theme"]["features"]
    assert {"content.footnote.tooltips", "navigation.path"} <= set(features)


def test_a_footnote_shows_in_a_tooltip_where_it_is_cited(page, site_url: str):
    page.goto(site_url + NOTE, wait_until="load")
    reference = page.locator("sup[id^='fnref'] a").first
    target = reference.get_attribute("href")
    # (Instant loading makes the href absolute: the fragment names the footnote.)
    footnote_text = page.locator(f"li[id='{urlsplit(target).fragment}']").inner_text()
    reference.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(timeout=15_000)
    shown = tooltip.inner_text().replace("\u00a0↩", "").strip()
    assert shown and shown in footnote_text.replace("\u00a0↩", "")


def test_a_note_shows_its_section_as_breadcrumbs(page, site_url: str):
    page.goto(site_url + NOTE, wait_until="load")
    path = page.locator("nav.md-path")
    # Named apart from the main navigation (axe: landmark-unique).
    assert path.get_attribute("aria-label") == "Breadcrumbs"
    crumbs = path.locator(".md-path__item").all_inner_texts()
    # The section's title as mkdocs.yml's nav names it, whatever it is renamed to.
    section = section_titles(load_config(REPO_ROOT))[NOTE.split("/")[0]]
    assert [crumb.strip() for crumb in crumbs] == ["Home", section]


def test_the_home_page_hint_names_shortcuts_that_work(page, site_url: str):
    page.goto(site_url, wait_until="load")
    keys = page.locator("article .keys kbd").all_inner_texts()
    assert keys == ["/", "S", "N", "P"]
    next_page = page.locator("a.md-footer__link--next").get_attribute("href")
    page.keyboard.press("n")
    page.wait_for_url(
        lambda url: urlsplit(url).path.endswith(urlsplit(next_page).path.lstrip(".")), timeout=15_000
    )
    page.keyboard.press("p")
    page.wait_for_url(site_url, timeout=15_000)
    for key in ("/", "s"):
        page.goto(site_url, wait_until="load")
        page.keyboard.press(key)
        box = page.locator("input.md-search__input")
        assert box.evaluate("element => element === document.activeElement"), key
