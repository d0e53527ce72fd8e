"""Headless Chromium for the browser tests, driven by Playwright.

Outside CI a missing browser skips these tests with a message naming what to
install; with CI=true it fails them, so a CI machine without the browser can
never pass by skipping.
"""

from __future__ import annotations

import atexit
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run, not skip)")
    pytest.skip(reason)


def chromium_path() -> Path | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


_running: tuple[Playwright, Browser] | None = None


def _stop_chromium() -> None:
    global _running
    if _running is not None:
        playwright, browser = _running
        _running = None
        browser.close()
        playwright.stop()


def shared_chromium() -> Browser:
    """The one headless Chromium of this test process, launched on first use.

    Playwright's sync API allows one running instance per thread, so every test
    module shares this browser (each test opens its own context) instead of
    launching its own; it closes when the process exits.
    """
    global _running
    if _running is None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            _unavailable("the Python package 'playwright' is not installed: run `make setup`")
        executable = chromium_path()
        if executable is None:
            _unavailable(
                "Chromium is not installed: install the Debian package 'chromium' (apt-get install chromium)"
            )
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS)
        except BaseException:
            playwright.stop()
            raise
        _running = (playwright, browser)
        atexit.register(_stop_chromium)
    return _running[1]


def launch_chromium() -> Iterator[Browser]:
    """A fixture body: the shared browser (see shared_chromium)."""
    yield shared_chromium()


DIAGRAM_RENDER_TIMEOUT_MS = 20_000

# What the build puts in a page for each diagram (scripts/hooks/prerender_diagrams.py).
DRAWN_DIAGRAM = '<div class="mermaid"><svg '
# What a Mermaid fence becomes before that hook, and what a browser would draw.
DIAGRAM_SOURCE_BLOCK = '<pre class="mermaid">'


def diagrams_in(html: str) -> int:
    """How many diagrams a built page holds, each an inline SVG."""
    return html.count(DRAWN_DIAGRAM)


def wait_until(page, predicate: str, arg: object = None, timeout_ms: int = DIAGRAM_RENDER_TIMEOUT_MS) -> None:
    """Wait until the JavaScript function `predicate` (called with `arg`) returns true.

    Playwright's own wait_for_function compiles the predicate inside the page with
    `new Function`, which the site's Content-Security-Policy refuses (no
    'unsafe-eval'); page.evaluate runs through the DevTools protocol instead, so
    the pages are tested under the policy they ship with.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout_ms} ms: {predicate}")
        page.wait_for_timeout(100)


def assert_diagrams_drawn(page, expected: int) -> None:
    """The page shows `expected` diagrams as inline SVG, and no diagram source waiting to be drawn."""
    assert page.locator("pre.mermaid").count() == 0, "a diagram reached the browser as Mermaid source"
    assert page.locator("div.mermaid > svg").count() == expected
