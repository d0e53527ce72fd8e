"""Print the print edition to PDF with headless Chromium (Playwright's page.pdf).

The page is served from the built site on 127.0.0.1 and every request to any
other host is refused. The PDF has a table of contents with page numbers
(printed twice: the first PDF says on which page each note starts, through
the named destinations Chromium makes for the contents' links), page numbers
in the footer, an outline (bookmarks) from the headings, and the light scheme.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from audit.static_host import StaticHost
from pypdf import PdfReader

from print_edition.assemble import PAGE_SLOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE_PATH = "print/"
MARGINS = {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="title"></span> · <span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
DIAGRAM_TIMEOUT_S = 60
# The width and height inside the margins, in CSS px (96 per inch).
PRINTABLE_PX = {
    "A4": {"width": round((210 - 28) * 96 / 25.4), "height": round((297 - 30) * 96 / 25.4)},
    "Letter": {"width": round((215.9 - 28) * 96 / 25.4), "height": round((279.4 - 30) * 96 / 25.4)},
}


class ForeignRequest(RuntimeError):
    """The page asked for something from a host other than 127.0.0.1."""


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int


def _wait_for_diagrams(page) -> None:
    """Until no diagram is left as Mermaid source. With diagrams drawn at build time
    there is none to begin with; before that, Material draws them in the browser."""
    deadline = time.monotonic() + DIAGRAM_TIMEOUT_S
    while page.locator("pre.mermaid").count():
        if time.monotonic() > deadline:
            raise TimeoutError("diagrams were not drawn in time")
        page.wait_for_timeout(250)


def note_start_pages(pdf: bytes) -> dict[str, int]:
    """{anchor id: 1-based page number} from the PDF's named destinations."""
    reader = PdfReader(io.BytesIO(pdf))
    return {
        name.lstrip("/"): reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }


def _print(page, paper: str) -> bytes:
    return page.pdf(
        format=paper,
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        margin=MARGINS,
        outline=True,
        tagged=True,
    )


def print_site(site: Path, output: Path, *, paper: str = "A4", chromium: Path = CHROMIUM) -> PdfResult:
    from playwright.sync_api import sync_playwright

    foreign: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != "127.0.0.1":
            foreign.append(url)
            route.abort()
        else:
            route.continue_()

    with StaticHost(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(color_scheme="light")
            context.route("**/*", guard)
            page = context.new_page()
            page.goto(base + PAGE_PATH, wait_until="load", timeout=180_000)
            _wait_for_diagrams(page)
            # Lay the page out as on paper, then do what a reader's browser does on
            # Ctrl+P: the site's print.js turns the light scheme on and fits tall diagrams.
            page.set_viewport_size(PRINTABLE_PX[paper])
            page.emulate_media(media="print", color_scheme="light")
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            first = _print(page, paper)
            starts = note_start_pages(first)
            page.evaluate(
                """([starts, slotClass]) => {
                  for (const link of document.querySelectorAll('.print-toc a')) {
                    const slot = link.parentElement.querySelector(':scope > .' + slotClass);
                    // (Instant loading makes hrefs absolute: the fragment is the id.)
                    const id = decodeURIComponent(new URL(link.href).hash.slice(1));
                    if (slot && starts[id]) slot.textContent = String(starts[id]);
                  }
                }""",
                [starts, PAGE_SLOT],
            )
            pdf = _print(page, paper)
        finally:
            browser.close()
    if foreign:
        raise ForeignRequest("the print page asked for other hosts: " + ", ".join(sorted(set(foreign))))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    return PdfResult(output, len(PdfReader(io.BytesIO(pdf)).pages), len(pdf))
