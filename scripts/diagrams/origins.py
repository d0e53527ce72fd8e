"""Where each diagram of a page was written, so that an error names the file and line to fix.

A page's HTML holds each diagram's source with snippets already pulled in; the
page's Markdown says which `.mmd` file (or which lines of the page itself) it
came from. Diagrams are matched to their origin by their text.
"""

from __future__ import annotations

from pathlib import Path

from diagram_sources import diagram_includes, inline_diagrams


def _key(source: str) -> str:
    return source.strip()


def page_diagram_origins(page: Path, snippet_base: Path) -> dict[str, tuple[Path, int]]:
    """{diagram source: (file, line of its first source line)} for the diagrams of `page`."""
    origins: dict[str, tuple[Path, int]] = {}
    for include in diagram_includes(page):
        path = (snippet_base / include.target).resolve()
        try:
            origins.setdefault(_key(path.read_text(encoding="utf-8")), (path, 1))
        except OSError:
            continue  # the snippets extension reports a missing file itself
    for diagram in inline_diagrams(page):
        origins.setdefault(_key(diagram.source), (diagram.path, diagram.first_line))
    return origins


def origin_of(source: str, origins: dict[str, tuple[Path, int]], page: Path) -> tuple[Path, int]:
    """The origin of `source`, or the page itself when it cannot be told."""
    return origins.get(_key(source), (page, 1))
