"""Where each diagram of a page was written, so that an error names the file and line to fix.

A page's HTML holds each diagram's source with snippets already pulled in; the
page's Markdown says which `.mmd` file (or which lines of the page itself) it
came from. Diagrams are matched to their origin by their text.
"""

from __future__ import annotations

from pathlib import Path

from content.diagram_sources import diagram_includes, inline_diagrams


def _key(source: str) -> str:
    return source.strip()


def page_diagram_origins(page: Path, snippet_bases: tuple[Path, ...]) -> dict[str, tuple[Path, int]]:
    """{diagram source: (file, line of its first source line)} for the diagrams of `page`.

    `snippet_bases`: the folders snippet paths are relative to, searched in order.
    """
    origins: dict[str, tuple[Path, int]] = {}
    for include in diagram_includes(page):
        path = next(
            (base / include.target for base in snippet_bases if (base / include.target).is_file()), None
        )
        if path is None:
            continue  # the snippets extension reports a missing file itself
        origins.setdefault(_key(path.read_text(encoding="utf-8")), (path, 1))
    for diagram in inline_diagrams(page):
        origins.setdefault(_key(diagram.source), (diagram.path, diagram.first_line))
    return origins


def origin_of(source: str, origins: dict[str, tuple[Path, int]], page: Path) -> tuple[Path, int]:
    """The origin of `source`, or the page itself when it cannot be told."""
    return origins.get(_key(source), (page, 1))
