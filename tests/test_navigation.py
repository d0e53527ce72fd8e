"""Navigation that scales: every top-level section is a tab that fits a 1280 px
screen, and on a phone every note is two taps from the open menu (a tap on its
section, which opens the section's index page, and a tap on the note)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import launch_chromium, wait_until
from content.site_config import load_config
from content.site_pages import docs_path, notes
from site_build import REPO_ROOT

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The menu has slid fully in.
MENU_OPEN = "() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left === 0"

# Mark the first menu link that leads to `url`, whatever form its href takes.
MARK_LINK_TO = """
(url) => [...document.querySelectorAll(".md-sidebar--primary a[href]")]
  .find((link) => link.href.split("#")[0] === url)
  .setAttribute("data-tap-target", "")
"""

# The page at `url` has replaced the home page (by instant loading or a full load).
SWAPPED_TO = "([url, homeTitle]) => location.href === url && document.title !== homeTitle"

# The links a finger can tap: on screen (once scrolled to, if `scroll`) and not
# covered by anything else, such as the overlay beside the open menu.
TAPPABLE_HREFS = """
([selector, scroll]) => [...document.querySelectorAll(selector)].filter((link) => {
  if (scroll) link.scrollIntoView({block: "center"});
  // The first line of the link: a link that wraps has a box wider than its text.
  const box = link.getClientRects()[0];
  if (!box) return false;
  if (box.width === 0 || box.height === 0) return false;
  const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return top !== null && (top === link || link.contains(top));
}).map((link) => link.href)
"""


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def top_level_titles() -> list[str]:
    return [next(iter(item)) if isinstance(item, dict) else item for item in load_config(REPO_ROOT)["nav"]]


def note_urls(site_url: str) -> set[str]:
    return {site_url + docs_path(REPO_ROOT, note).removesuffix(".md") + "/" for note in notes(REPO_ROOT)}


def open_menu(page, site_url: str) -> None:
    page.goto(site_url, wait_until="load")
    page.locator("label.md-header__button[for='__drawer']").tap()
    wait_until(page, MENU_OPEN, timeout_ms=5_000)


def without_fragment(url: str) -> str:
    return urlsplit(url)._replace(fragment="").geturl()


def test_every_section_is_a_tab_that_fits_at_1280_px(site_url: str, browser):
    page = browser.new_page(viewport=LAPTOP)
    try:
        page.goto(site_url, wait_until="load")
        tabs = page.locator(".md-tabs__item")
        assert tabs.all_inner_texts() == top_level_titles()
        last_right = tabs.last.evaluate("tab => tab.getBoundingClientRect().right")
        assert last_right <= LAPTOP["width"], f"the last tab ends at {last_right} px"
        overflow = page.locator(".md-tabs__list").evaluate("list => list.scrollWidth - list.clientWidth")
        assert overflow <= 0, f"the tab bar scrolls by {overflow} px"
    finally:
        page.close()


def test_every_note_is_two_taps_from_the_phone_menu(site_url: str, built_site: Path, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_menu(page, site_url)
        first_taps = page.evaluate(TAPPABLE_HREFS, [".md-sidebar--primary a[href]", False])
        # Each section but Home (the page the menu is open on) is one tap.
        assert len(first_taps) >= len(top_level_titles()) - 1, first_taps
        reached = {without_fragment(url) for url in first_taps}
        for url in sorted(reached - {site_url}):
            # Tap the entry in the menu, as a reader does, then collect what the page offers.
            open_menu(page, site_url)
            home_title = page.title()
            # Instant loading rewrites each href to an absolute URL: find the link by where it leads.
            page.evaluate(MARK_LINK_TO, url)
            page.locator(".md-sidebar--primary a[data-tap-target]").tap()
            # A full load or, with instant loading, a swap in place: wait for the URL, then the page.
            page.wait_for_url(url)
            wait_until(page, SWAPPED_TO, [url, home_title], timeout_ms=10_000)
            reached |= {without_fragment(u) for u in page.evaluate(TAPPABLE_HREFS, ["article a[href]", True])}
        missing = sorted(note_urls(site_url) - reached)
        assert not missing, f"more than two taps from the menu: {missing}"
    finally:
        context.close()
