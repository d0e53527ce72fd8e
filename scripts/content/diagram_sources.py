"""Find every Mermaid diagram in the repository, with where it starts.

A diagram is either a `.mmd` file in diagrams/ or a ```mermaid fence written
inline in a note. Fences that only pull a `.mmd` file in with a snippet line
are not diagrams of their own: the file they include is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin

from content.site_pages import site_pages

SNIPPET_MARKER = "--8<--"


@dataclass(frozen=True)
class Diagram:
    path: Path
    # 1-based line in `path` of the diagram's first line of Mermaid source.
    first_line: int
    source: str


def diagram_files(root: Path) -> Iterator[Diagram]:
    for path in sorted((root / "diagrams").glob("*.mmd")):
        yield Diagram(path, 1, path.read_text(encoding="utf-8"))


def inline_diagrams(markdown_path: Path) -> Iterator[Diagram]:
    text = markdown_path.read_text(encoding="utf-8")
    # With admonitions parsed, a diagram inside `!!! note` is a fence, not indented code.
    for token in MarkdownIt("commonmark").use(admon_plugin).parse(text):
        if token.type != "fence" or token.info.strip() != "mermaid" or token.map is None:
            continue
        lines = [line for line in token.content.splitlines() if line.strip()]
        if lines and all(line.lstrip().startswith(SNIPPET_MARKER) for line in lines):
            continue
        # token.map[0] is the 0-based line of the opening fence.
        yield Diagram(markdown_path, token.map[0] + 2, token.content)


@dataclass(frozen=True)
class DiagramInclude:
    page: Path
    # 1-based line of the snippet line in `page`.
    line: int
    # The included file as written, relative to the repository root (snippets' base_path).
    target: str


def diagram_includes(markdown_path: Path) -> Iterator[DiagramInclude]:
    """The `.mmd` files a page pulls into ```mermaid fences with snippet lines."""
    text = markdown_path.read_text(encoding="utf-8")
    # With admonitions parsed, a diagram inside `!!! note` is a fence, not indented code.
    for token in MarkdownIt("commonmark").use(admon_plugin).parse(text):
        if token.type != "fence" or token.info.strip() != "mermaid" or token.map is None:
            continue
        for offset, line in enumerate(token.content.splitlines()):
            marker, _, rest = line.strip().partition(SNIPPET_MARKER)
            if marker or not rest.strip():
                continue
            target = rest.strip().strip("\"'")
            yield DiagramInclude(markdown_path, token.map[0] + 2 + offset, target)


def all_diagrams(root: Path) -> list[Diagram]:
    diagrams = list(diagram_files(root))
    for note in site_pages(root):
        diagrams.extend(inline_diagrams(note))
    return diagrams


class _TagFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((self.getpos()[0], f"<{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append((self.getpos()[0], f"</{tag}>"))


def html_tags(diagram: Diagram) -> list[tuple[int, str]]:
    """HTML tags in a diagram's source, as (line in its file, tag).

    Material's fence escapes the source, but Mermaid itself renders some tags in
    labels, and other Mermaid fences (mermaid2's, for one) pass the source to the
    page unescaped, where a tag becomes live HTML. Diagrams stay portable without.
    """
    finder = _TagFinder()
    finder.feed(diagram.source)
    finder.close()
    return [(diagram.first_line + line - 1, tag) for line, tag in finder.tags]
