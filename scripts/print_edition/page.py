"""The print page's own Markdown: a title, a line on the PDF, and the place the pages go."""

from __future__ import annotations

import html

PAGE = "print.md"
PDF_FILE = "architecture-notes.pdf"
# Pages of the nav the print edition leaves out: lists of other pages and
# reports that mean nothing on paper.
LEFT_OUT = frozenset({"tags.md", "link-health.md", "whats-new.md"})
PLACEHOLDER = '<div class="print-edition-pages"></div>'


def page_markdown(pdf_href: str) -> str:
    """`pdf_href`: the PDF's URL relative to the print page (an HTML link, as MkDocs
    would report a Markdown link to a file that is not a page)."""
    return f"""---
title: Print edition
description: Every note of Architecture Notes on one page, in reading order, to print or save as PDF.
search:
  exclude: true
hide:
  - navigation
  - toc
---

# Print edition

Every note on one page, in the order of the navigation, with its diagrams. Print it from your
browser, or download the same as a PDF with a table of contents and page numbers:
<a href="{html.escape(pdf_href, quote=True)}">{PDF_FILE}</a>. It prints in the light scheme
whatever scheme you read in.

{PLACEHOLDER}
"""


# What the print page holds under `make serve`, where every edit rebuilds the
# whole site: assembling every note on one page (and checking it) would add
# ~0.4 s to each reload of this site, and grows with the notes.
PREVIEW_NOTICE = (
    '<p class="print-edition-pages">The live preview leaves the notes out of this page, to keep its reloads '
    "fast: <code>make build</code> assembles it, and <code>make pdf</code> prints it.</p>"
)
