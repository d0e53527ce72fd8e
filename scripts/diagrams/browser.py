"""One headless Chromium page that draws Mermaid diagrams, driven by Playwright.

The page is built from local files only (stylesheets inlined, fonts handed over
as bytes, Mermaid added as a script) and every request it would make is
refused, so drawing never touches the network.
"""

from __future__ import annotations

import base64
import contextlib
import html
import importlib.util
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diagrams.settings import IN_PAGE_SCRIPTS, RenderSettings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

# Debian's Chromium, in a container or CI runner without a sandbox or GPU, and
# with none of its background traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
# Set to use another Chromium build (or a missing path, to test the fallback).
CHROMIUM_ENV = "DIAGRAMS_CHROMIUM"
INSTALL_CHROMIUM = "sudo apt-get install chromium"
# Fonts Chromium may fall back to for a character the site's font lacks.
SYSTEM_FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts"),)
# Chromium takes hinting and antialiasing from fontconfig, and they change text
# widths (full hinting rounds each glyph's advance to whole pixels). So it runs
# with this configuration, not the machine's or the user's: the same widths,
# and so the same SVG, wherever it is drawn. Debian's defaults.
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
{dirs}
  <cachedir prefix="xdg">fontconfig</cachedir>
  <match target="pattern">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="autohint" mode="assign"><bool>false</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcddefault</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
"""
# Wide enough for any diagram; labels wrap by Mermaid's own settings, not by this.
VIEWPORT = {"width": 1600, "height": 1200}


# What Playwright sets on a future of its own, which nothing awaits, when its
# driver goes away: Ctrl-C at a terminal stops the driver with the whole
# process group, and asyncio then logs "Future exception was never retrieved"
# as the server shuts down, though close() cleans up regardless.
DRIVER_GONE = "Connection closed while reading from the driver"


class _DriverGoneFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        unretrieved = str(record.msg).startswith("Future exception was never retrieved")
        return not (unretrieved and str(error) == DRIVER_GONE)


_DRIVER_GONE_FILTER = _DriverGoneFilter()


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is not installed here."""


def chromium_executable() -> Path | None:
    """The Chromium to draw with: $DIAGRAMS_CHROMIUM, else `chromium` on PATH, else Debian's."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return Path(found)
    return DEFAULT_CHROMIUM if DEFAULT_CHROMIUM.is_file() else None


def unavailable_reason() -> str | None:
    """Why diagrams cannot be drawn here, or None if they can."""
    # Found, not imported: importing Playwright costs more than a warm build's diagrams.
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed (run `make setup`)"
    if chromium_executable() is None:
        return f"Chromium is not installed ({INSTALL_CHROMIUM})"
    return None


@dataclass(frozen=True)
class Drawing:
    """What the page made of one source: an SVG, or an error with its line in the source."""

    svg: str | None = None
    error: str | None = None
    line: int | None = None


class DiagramPage:
    """Chromium, launched and set up for drawing; close() it when done.

    Playwright's sync API allows one instance per thread and none inside a
    running asyncio loop, and the caller may have either (a test's own browser,
    another builder's event loop). So every Playwright call runs on one worker
    thread of this object's own.
    """

    def __init__(self, settings: RenderSettings) -> None:
        if importlib.util.find_spec("playwright") is None:
            raise BrowserUnavailable("the Python package 'playwright' is not installed")
        executable = chromium_executable()
        if executable is None:
            raise BrowserUnavailable("Chromium is not installed")
        # Chromium's own files: its fontconfig configuration, and its temporary
        # files (TMPDIR), which it leaves behind when Ctrl-C at a terminal
        # stops it with the rest of the process group. close() removes them all.
        self._scratch = Path(tempfile.mkdtemp(prefix="diagrams-chromium-"))
        logging.getLogger("asyncio").addFilter(_DRIVER_GONE_FILTER)  # a logger keeps no duplicate
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diagrams-chromium")
        self._slimming = list(settings.slimming)
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        try:
            self.mermaid_version = self._worker.submit(self._start, settings, executable).result()
        except BaseException:
            self.close()
            raise

    def _start(self, settings: RenderSettings, executable: Path) -> str | None:
        from playwright.sync_api import sync_playwright

        fontconfig = self._scratch / "fonts.conf"
        dirs = "\n".join(f"  <dir>{html.escape(str(path))}</dir>" for path in SYSTEM_FONT_DIRS)
        fontconfig.write_text(FONTCONFIG.format(dirs=dirs), encoding="utf-8")
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(executable),
            args=list(CHROMIUM_FLAGS),
            env={**os.environ, "FONTCONFIG_FILE": str(fontconfig), "TMPDIR": str(self._scratch)},
        )
        self._page: Page = self._browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        self._page.route("**/*", lambda route: route.abort())
        self._page.set_content(_page_html(settings))
        self._page.add_script_tag(path=str(settings.mermaid_script))
        for script in IN_PAGE_SCRIPTS:
            self._page.add_script_tag(path=str(script))
        return self._page.evaluate(
            "([config, fonts]) => window.diagramRenderer.setUp(config, fonts)",
            [settings.mermaid_config, [_font_payload(font) for font in settings.fonts]],
        )

    def draw(self, diagram_id: str, source: str, seed: int) -> Drawing:
        result = self._worker.submit(
            self._page.evaluate,
            "([id, source, seed, steps]) => window.diagramRenderer.render(id, source, seed, steps)",
            [diagram_id, source, seed, self._slimming],
        ).result()
        return Drawing(svg=result.get("svg"), error=result.get("error"), line=result.get("line"))

    def _stop(self) -> None:
        # Ctrl-C at a terminal signals the whole process group: Chromium and
        # Playwright's driver may be gone already, and closing what is gone
        # fails. Closing is still attempted step by step, so nothing that is
        # still running is left behind.
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        if browser is not None:
            with contextlib.suppress(Exception):
                browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()

    def close(self) -> None:
        worker = getattr(self, "_worker", None)
        if worker is not None:
            try:
                worker.submit(self._stop).result()
            finally:
                worker.shutdown()
                self._worker = None  # type: ignore[assignment]
        shutil.rmtree(self._scratch, ignore_errors=True)


def _font_payload(font) -> dict[str, str]:
    return {
        "family": font.family,
        "weight": font.weight,
        "style": font.style,
        "base64": base64.b64encode(font.path.read_bytes()).decode("ascii"),
    }


def _page_html(settings: RenderSettings) -> str:
    styles = "".join(
        f"<style>{stylesheet.read_text(encoding='utf-8')}</style>" for stylesheet in settings.stylesheets
    )
    attributes = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in settings.body_attributes.items()
    )
    head = f'<meta charset="utf-8">{styles}'
    body = f"<body{attributes}>{settings.page_body}</body>"
    return f'<!doctype html><html lang="en"><head>{head}</head>{body}</html>'
