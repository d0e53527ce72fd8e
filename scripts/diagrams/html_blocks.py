"""Find the Mermaid code blocks in a page's HTML and put drawings in their place.

A Mermaid fence becomes `<pre class="mermaid"><code>source</code></pre>`
(Material's and pymdown's convention). Blocks are found with an HTML parser,
so an example of that markup shown as code on a page is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCK_TAG = "pre"
BLOCK_CLASS = "mermaid"


@dataclass(frozen=True)
class MermaidBlock:
    # Offsets of the whole <pre>...</pre> element in the page's HTML.
    start: int
    end: int
    # The diagram's source, unescaped.
    source: str


class _BlockFinder(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        # getpos() gives (line, column); these turn it into an offset.
        self._line_starts = [0]
        newline = html.find("\n")
        while newline != -1:
            self._line_starts.append(newline + 1)
            newline = html.find("\n", newline + 1)
        self.blocks: list[MermaidBlock] = []
        self._open_at: int | None = None
        self._depth = 0
        self._text: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open_at is not None:
            self._depth += tag == BLOCK_TAG
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == BLOCK_TAG and BLOCK_CLASS in classes:
            self._open_at = self._offset()
            self._depth = 1
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open_at is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open_at is None or tag != BLOCK_TAG:
            return
        self._depth -= 1
        if self._depth:
            return
        end = self._offset() + len(f"</{BLOCK_TAG}>")
        self.blocks.append(MermaidBlock(self._open_at, end, "".join(self._text)))
        self._open_at = None


def mermaid_blocks(html: str) -> list[MermaidBlock]:
    """Every `<pre class="mermaid">` element of `html`, in order."""
    finder = _BlockFinder(html)
    finder.feed(html)
    finder.close()
    return finder.blocks


def replace_blocks(html: str, blocks: list[MermaidBlock], drawing: Callable[[MermaidBlock], str]) -> str:
    """`html` with each block replaced by `drawing(block)`."""
    parts = []
    position = 0
    for block in blocks:
        parts.append(html[position : block.start])
        parts.append(drawing(block))
        position = block.end
    parts.append(html[position:])
    return "".join(parts)
