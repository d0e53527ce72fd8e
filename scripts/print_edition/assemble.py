"""Put the printed pages together: a table of contents, then each page in nav order."""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

from print_edition.rewrite import LinkTarget, PageContext, rewrite_page

CONTENTS_ID = "print-contents"
# Each entry of the contents has an empty slot for its page number, which the
# PDF maker fills (pdf.py); the slot has its width from the start, so filling
# it moves nothing to another page.
PAGE_SLOT = "print-toc__page"


@dataclass(frozen=True)
class PrintedPage:
    url: str  # relative to the site root: "foundations/coupling/", "" for the home page
    title: str
    section: str | None  # the nav section it sits in, None at the top level
    content: str  # the page's rendered HTML (the article body)


def page_anchor(url: str) -> str:
    """The id of a printed page's section: its URL as a slug ("foundations-coupling")."""
    stem = url.removesuffix("/").removesuffix(".html").removesuffix("/index")
    return "print-" + (stem.replace("/", "-") if stem and stem != "index" else "home")


def _normal(url: str) -> str:
    return url.removesuffix("index.html") if url.endswith("/index.html") or url == "index.html" else url


def _contents(pages: list[PrintedPage]) -> str:
    items: list[str] = []
    section: str | None = None
    for page in pages:
        if page.section != section:
            if section is not None:
                items.append("</ol></li>")
            if page.section is not None:
                items.append(f'<li class="print-toc__section">{html.escape(page.section)}<ol>')
            section = page.section
        items.append(
            f'<li><a href="#{page_anchor(page.url)}">{html.escape(page.title)}</a>'
            f'<span class="{PAGE_SLOT}"></span></li>'
        )
    if section is not None:
        items.append("</ol></li>")
    return (
        f'<nav class="print-toc" aria-labelledby="{CONTENTS_ID}">'
        f'<h2 id="{CONTENTS_ID}">Contents</h2><ol>{"".join(items)}</ol></nav>\n'
    )


def assemble(pages: list[PrintedPage], print_url: str) -> str:
    """The print page's body: contents, then every page (its links kept inside the print page)."""
    printed = {_normal(page.url): page for page in pages}

    def resolve(path: str, fragment: str) -> LinkTarget:
        page = printed.get(_normal(path))
        if page is not None:
            anchor = page_anchor(page.url)
            return LinkTarget(anchor=f"{anchor}--{fragment}" if fragment else anchor)
        start = print_url if print_url.endswith("/") else posixpath.dirname(print_url) or "."
        relative = posixpath.relpath(path or ".", start or ".")
        if path.endswith("/") or path == "":
            relative = relative.rstrip("/") + "/"
        return LinkTarget(url=relative + (f"#{fragment}" if fragment else ""))

    parts = [_contents(pages)]
    for page in pages:
        anchor = page_anchor(page.url)
        context = PageContext(prefix=f"{anchor}--", page_url=page.url, resolve=resolve)
        section = f'<p class="print-note__section">{html.escape(page.section)}</p>' if page.section else ""
        body = rewrite_page(page.content, context)
        parts.append(f'<div class="print-note" id="{anchor}">{section}{body}</div>\n')
    return "".join(parts)
