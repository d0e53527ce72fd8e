"""The accessible names Material and Mermaid leave out (scripts/accessible_names/), on
HTML as a page holds it before the diagrams are drawn; no MkDocs. tests/test_accessibility.py
checks the built site with axe-core."""

from __future__ import annotations

import html

import pytest
from accessible_names.diagrams import name_diagrams
from accessible_names.search_dialog import NAMED, UNNAMED, SearchMarkupChanged, name_search_dialog
from selectolax.lexbor import LexborHTMLParser


def fence(source: str) -> str:
    """A ```mermaid fence as pymdownx.superfences writes it with mkdocs.yml's fence_code_format."""
    return f'<pre class="mermaid"><code>{html.escape(source)}</code></pre>'


MINDMAP = "---\ntitle: Map of topics\n---\nmindmap\n  root((Topics))\n"
NAMED_FLOWCHART = "---\ntitle: Ignored\n---\nflowchart LR\n  accTitle: Orders call Payments\n  A --> B\n"
PLAIN_FLOWCHART = "flowchart LR\n  A --> B\n"


def figures(page: str) -> list[tuple[str | None, str | None, str]]:
    return [
        (node.attributes.get("role"), node.attributes.get("aria-label"), node.css_first("pre").text())
        for node in LexborHTMLParser(page).css("div[role]")
    ]


def test_a_diagram_named_only_by_its_front_matter_is_wrapped_in_a_named_figure():
    page = f"<p>Before.</p>{fence(MINDMAP)}{fence(NAMED_FLOWCHART)}<p>After.</p>"
    named = name_diagrams(page)
    assert figures(named) == [("figure", "Map of topics", MINDMAP)]
    # Mermaid names a diagram with accTitle itself: it is left as it was.
    assert fence(NAMED_FLOWCHART) in named


def test_a_page_with_no_diagram_to_name_is_returned_as_it_was():
    for page in ("<p>No diagram.</p>", fence(PLAIN_FLOWCHART), fence(NAMED_FLOWCHART)):
        assert name_diagrams(page) == page


def test_the_search_dialog_is_named_once():
    page = f"<header>{UNNAMED}</div></header>"
    named = name_search_dialog(page, "index.md")
    assert named == f"<header>{NAMED}</div></header>"
    assert name_search_dialog(named, "index.md") == named
    assert name_search_dialog("<p>no search</p>", "index.md") == "<p>no search</p>"


def test_search_markup_this_does_not_know_is_refused_not_left_unnamed():
    changed = '<div class="md-search md-search--new" data-md-component="search" role="dialog">'
    with pytest.raises(SearchMarkupChanged, match=r"^404\.html: Material's search dialog markup changed"):
        name_search_dialog(changed, "404.html")
