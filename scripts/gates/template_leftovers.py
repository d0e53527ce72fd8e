"""Template leftovers: no placeholder sentence of the note template
(scripts/templates/note.md) is left in a page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from content.markdown_tokens import walk

from gates.finding import Finding

NOTE_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "note.md"


def prose(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each paragraph, list item and table body cell: inlines outside headings."""
    skipping = False
    for located in walk(text):
        kind = located.token.type
        if kind in ("heading_open", "heading_close", "thead_open", "thead_close"):
            skipping = kind.endswith("_open")
        elif kind == "inline" and not skipping and located.token.content.strip():
            yield located.line, located.token.content.strip()


def template_leftovers(page: Path) -> list[Finding]:
    placeholders = {content for _, content in prose(NOTE_TEMPLATE.read_text(encoding="utf-8"))}
    return [
        Finding(page, line, f"placeholder from the note template left in: {content[:60]!r}")
        for line, content in prose(page.read_text(encoding="utf-8"))
        if content in placeholders
    ]
