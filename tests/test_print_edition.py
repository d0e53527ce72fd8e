"""The print edition: every page of the nav on one page in nav order, with its
diagrams, glossary expansions as text and links that stay inside it; laid out
so nothing is cut off on A4 or Letter, in the light scheme; and the PDF that
headless Chromium prints of it."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import diagrams_in, launch_chromium
from content.site_config import load_config, nav_entries
from print_edition.assemble import PrintedPage, assemble, page_anchor
from print_edition.page import LEFT_OUT, PAGE
from print_edition.rewrite import LinkTarget, PageContext, rewrite_page
from redirects.urls import output_path
from site_build import REPO_ROOT, offline_env

# Material draws a diagram in the browser into a closed shadow root, unless the
# build drew it already as inline SVG; opening the root lets a test see the SVG.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attachShadow.call(this, { ...init, mode: "open" });
};
"""
DRAWN_DIAGRAMS = """() => [...document.querySelectorAll('div.mermaid')].map(
  d => Boolean(d.querySelector(':scope > svg') || (d.shadowRoot && d.shadowRoot.querySelector('svg'))))"""
# Printable area at 96 px per inch with the PDF's margins (14 mm sides, 14 + 16 mm top and bottom).
PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MM = 96 / 25.4


def printable_px(paper: str) -> tuple[int, int]:
    width, height = PAPERS[paper]
    return int((width - 28) * MM), int((height - 30) * MM)


def printed_sources() -> list[str]:
    """The pages the print edition holds, in nav order."""
    return [e.path for e in nav_entries(load_config(REPO_ROOT)) if e.path not in LEFT_OUT and e.path != PAGE]


def context_for(prefix: str = "print-a--", page_url: str = "a/") -> PageContext:
    def resolve(path: str, fragment: str) -> LinkTarget:
        if path == "b/":
            return LinkTarget(anchor=f"print-b--{fragment}" if fragment else "print-b")
        return LinkTarget(url=f"../{path}" + (f"#{fragment}" if fragment else ""))

    return PageContext(prefix=prefix, page_url=page_url, resolve=resolve)


def test_a_page_is_rewritten_to_live_inside_the_print_page():
    html = (
        '<h1 id="title">A &amp; B</h1><p>See <a href="#refs">refs</a>, <a href="../b/#x">B</a>, '
        '<a href="../b/">B</a>, <a href="../tags/#tag:data">tags</a>, <a href="https://example.org/">out</a>.'
        '<sup id="fnref:1"><a href="#fn:1">1</a></sup>'
        ' <abbr title="Application programming interface">API</abbr>'
        ' and <abbr title="Application programming interface">API</abbr>.</p>'
        '<h2 id="refs">References with <abbr title="Remote procedure call">RPC</abbr></h2>'
        '<div class="mermaid"><svg id="d1" viewBox="0 0 1 1"><style>#d1 .x{fill:red}</style>'
        '<linearGradient id="g"></linearGradient>'
        '<foreignObject><p id="in-svg">x</p></foreignObject></svg></div>'
        '<img src="../assets/x.png" alt="x"><br />'
        '<div class="language-python highlight"><pre><code>x = 1</code></pre></div>'
    )
    out = rewrite_page(html, context_for())
    assert '<h2 id="print-a--title">A &amp; B</h2>' in out
    assert '<a href="#print-a--refs">refs</a>' in out
    assert '<a href="#print-b--x">B</a>' in out and '<a href="#print-b">B</a>' in out
    assert '<a href="../tags/#tag:data">tags</a>' in out
    assert '<a href="https://example.org/">out</a>' in out
    assert '<sup id="print-a--fnref:1"><a href="#print-a--fn:1">1</a></sup>' in out
    # The first use of an abbreviation gets its expansion as text; later ones and headings do not.
    assert out.count("(Application programming interface)") == 1
    assert "(Remote procedure call)" not in out
    assert '<h3 id="print-a--refs">' in out
    # A drawing passes untouched: its ids are its styles' and markers' business.
    assert '<svg id="d1" viewBox="0 0 1 1"><style>#d1 .x{fill:red}</style><linearGradient id="g">' in out
    assert 'id="in-svg"' in out
    assert '<img src="../assets/x.png" alt="x">' in out
    assert "<br />" in out
    assert '<div class="language-python highlight no-copy">' in out


def test_contents_list_every_page_in_order_with_a_page_number_slot():
    pages = [
        PrintedPage("", "Home", None, "<h1 id='home'>Home</h1>"),
        PrintedPage("foundations/coupling/", "Coupling", "Foundations", "<h1>Coupling</h1>"),
        PrintedPage("data/acid/", "ACID", "Data", '<p><a href="../../foundations/coupling/#kinds">k</a></p>'),
    ]
    body = assemble(pages, "print/")
    assert [page_anchor(p.url) for p in pages] == [
        "print-home",
        "print-foundations-coupling",
        "print-data-acid",
    ]
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a><span class="print-toc__page"></span></li>', body)
    assert links == [
        ("print-home", "Home"),
        ("print-foundations-coupling", "Coupling"),
        ("print-data-acid", "ACID"),
    ]
    assert '<a href="#print-foundations-coupling--kinds">k</a>' in body
    assert (
        body.index('id="print-home"')
        < body.index('id="print-foundations-coupling"')
        < body.index('id="print-data-acid"')
    )


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.local_links: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.local_links.append(unquote(href[1:]))


@functools.cache
def print_html(site: Path) -> str:
    return (site / "print/index.html").read_text(encoding="utf-8")


def test_the_print_page_holds_every_page_in_nav_order_with_its_diagrams(built_site: Path):
    html = print_html(built_site)
    sources = printed_sources()
    assert len(sources) > 3
    positions = [html.index(f'id="{page_anchor(page_url(source))}"') for source in sources]
    assert positions == sorted(positions), "the pages are not in nav order"
    expected = sum(
        diagrams_in((built_site / output_path(source)).read_text(encoding="utf-8")) for source in sources
    )
    assert expected > 0 and diagrams_in(html) == expected
    # Every internal link lands on an element of the print page.
    parser = _Ids()
    parser.feed(html)
    assert parser.local_links
    assert sorted({link for link in parser.local_links if link not in parser.ids}) == []
    # Glossary tooltips become text.
    assert html.count('class="print-expansion"') >= len(sources) // 2


def page_url(source: str) -> str:
    return output_path(source).removesuffix("index.html")


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


@pytest.fixture
def print_tab(browser, site_url: str) -> Iterator[tuple[object, list[str]]]:
    context = browser.new_context(color_scheme="dark")
    context.add_init_script(OPEN_SHADOW_ROOTS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Every note at once: give a loaded machine time.
    page.goto(site_url + "print/", wait_until="load", timeout=120_000)
    # Until no diagram is left to draw (none from the start when the build drew them).
    for _ in range(240):
        if page.locator("pre.mermaid").count() == 0:
            break
        page.wait_for_timeout(250)
    yield page, requests
    context.close()


@pytest.mark.browser
def test_the_print_page_draws_every_diagram_and_calls_no_other_host(print_tab, built_site: Path):
    page, requests = print_tab
    drawn = page.evaluate(DRAWN_DIAGRAMS)
    assert len(drawn) == diagrams_in(print_html(built_site)) and all(drawn)
    assert [url for url in requests if urlsplit(url).hostname != "127.0.0.1"] == []


@pytest.mark.browser
def test_it_prints_in_the_light_scheme_whatever_the_reader_chose(print_tab):
    page, _ = print_tab
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "slate"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert body.get_attribute("data-md-color-scheme") == "slate"


@pytest.mark.browser
@pytest.mark.parametrize("paper", PAPERS)
def test_no_table_or_diagram_is_cut_off_on_paper(paper: str, print_tab):
    page, _ = print_tab
    width, height = printable_px(paper)
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    problems = page.evaluate(
        """([width, height]) => {
          const problems = [];
          const name = e => (e.closest('div.print-note') || {}).id + ' ' + e.tagName;
          for (const d of document.querySelectorAll('article .mermaid')) {
            const r = d.getBoundingClientRect();
            if (r.right > width + 1 || r.left < -1) problems.push(name(d) + ' too wide: ' + r.width);
            if (r.height > height) problems.push(name(d) + ' taller than a page: ' + r.height);
          }
          for (const t of document.querySelectorAll('article table, article pre')) {
            const r = t.getBoundingClientRect();
            if (r.right > width + 1) problems.push(name(t) + ' too wide: ' + r.width);
            if (t.scrollWidth > t.clientWidth + 1) problems.push(name(t) + ' scrolls: ' + t.scrollWidth);
            for (const row of t.querySelectorAll('tr')) {
              const tall = row.getBoundingClientRect().height > height;
              if (tall) problems.push(name(t) + ' row taller than a page');
            }
          }
          return problems;
        }""",
        [width, height],
    )
    assert problems == [], "\n".join(problems)


@dataclass(frozen=True)
class PrintedPdf:
    path: Path
    pages: int
    size: int


@pytest.fixture(scope="module")
def printed_pdf(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> PrintedPdf:
    """The PDF as `make pdf` and the deploy workflow make it: scripts/make_pdf.py, in its own process."""
    from pypdf import PdfReader

    next(launch_chromium())  # fails (CI) or skips without Chromium, as every browser test does
    output = tmp_path_factory.mktemp("pdf") / "architecture-notes.pdf"
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts/make_pdf.py"),
            "--site",
            str(built_site),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env=offline_env(),
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    pages = len(PdfReader(output).pages)
    assert f"{pages} pages" in completed.stdout
    return PrintedPdf(output, pages, output.stat().st_size)


def squashed(text: str) -> str:
    """White space collapsed and ligatures (the PDF's "ﬀ") spelled out."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.browser
def test_the_pdf_has_every_title_contents_with_page_numbers_and_a_sane_length(
    printed_pdf: PrintedPdf, built_site: Path
):
    from pypdf import PdfReader

    reader = PdfReader(printed_pdf.path)
    pages = [squashed(page.extract_text()) for page in reader.pages]
    titles = _printed_titles(built_site)
    assert len(titles) == len(printed_sources())
    # A sane length whatever the number of notes: at least a page each, at most 20 each.
    assert len(titles) + 1 <= printed_pdf.pages <= 20 * len(titles) + 5
    assert printed_pdf.size < 100 * 1_048_576
    whole = " ".join(pages)
    assert [t for t in titles if squashed(t) not in whole] == []
    # The contents give the page each printed page starts on (where its anchor lands).
    starts = {
        name.lstrip("/"): reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }
    anchors = _printed_anchors(built_site)
    # The contents fill the pages before the first printed page. (Read in layout
    # mode: the numbers float right, and plain extraction lists them first.)
    contents = " ".join(
        squashed(reader.pages[n].extract_text(extraction_mode="layout"))
        for n in range(starts[anchors[0]] - 1)
    )
    for title, anchor in zip(titles, anchors, strict=True):
        match = re.search(re.escape(squashed(title)) + r" (\d+)\b", contents)
        assert match, f"no page number for {title!r} in the contents"
        assert int(match.group(1)) == starts[anchor], title
    # Page numbers in every footer, and bookmarks for a PDF reader's sidebar.
    assert all(re.search(rf"\b{n} / {len(pages)}\b", text) for n, text in enumerate(pages, start=1))
    assert reader.outline


def _printed_anchors(built_site: Path) -> list[str]:
    return [page_anchor(page_url(source)) for source in printed_sources()]


def _printed_titles(built_site: Path) -> list[str]:
    class Contents(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.titles: list[str] = []
            self._link = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self._link = tag == "a" and (dict(attrs).get("href") or "").startswith("#print-")
            if self._link:
                self.titles.append("")

        def handle_data(self, data: str) -> None:
            if self._link:
                self.titles[-1] += data

        def handle_endtag(self, tag: str) -> None:
            self._link = False

    parser = Contents()
    html = print_html(built_site)
    parser.feed(html[html.index('class="print-toc"') : html.index("</nav>", html.index('class="print-toc"'))])
    return parser.titles
