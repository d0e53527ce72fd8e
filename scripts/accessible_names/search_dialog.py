"""Name Material's search dialog, which its template leaves unnamed.

A dialog needs an accessible name (axe rule `aria-dialog-name`). Overriding
Material's search partial would mean copying it whole, so the name is added to
the rendered element, and a page whose search markup is not the one expected
is refused rather than left unnamed.
"""

from __future__ import annotations

UNNAMED = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


class SearchMarkupChanged(ValueError):
    """The page has Material's search dialog, but not in the markup this knows how to name."""


def name_search_dialog(html: str, where: str) -> str:
    """The page with its search dialog named; `where` names the page in the error."""
    if UNNAMED not in html:
        if NAMED in html or 'data-md-component="search"' not in html:
            return html
        raise SearchMarkupChanged(f"{where}: Material's search dialog markup changed; update {__file__}")
    return html.replace(UNNAMED, NAMED, 1)
