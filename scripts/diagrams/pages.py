"""Put drawings in a page's HTML in place of its Mermaid code blocks.

Each `<pre class="mermaid">` block becomes `<div class="mermaid"><svg ...></div>`
(which Material leaves alone). A diagram that cannot be drawn raises
DiagramError naming the file and line it was written at: its `.mmd` file,
or the page's own Markdown for a diagram written inline.
"""

from __future__ import annotations

from pathlib import Path

from diagrams.html_blocks import mermaid_blocks, replace_blocks
from diagrams.origins import origin_of, page_diagram_origins
from diagrams.renderer import DiagramError, DiagramRenderer, DiagramSource, diagram_id

# Cheap test before parsing: a page without it has no diagram.
BLOCK_START = '<pre class="mermaid">'


def draw_page(html: str, page_path: Path, renderer: DiagramRenderer, snippet_bases: tuple[Path, ...]) -> str:
    """`html` with every Mermaid block drawn. `page_path`: the page's Markdown file;
    `snippet_bases`: the folders `--8<--` paths are relative to, searched in order."""
    if BLOCK_START not in html:
        return html
    blocks = mermaid_blocks(html)
    drawings = {}
    seen: dict[str, int] = {}
    for block in blocks:
        # The id comes from the source; a diagram shown twice on a page gets a
        # second id, so no two elements of a page share one.
        base = diagram_id(block.source)
        seen[base] = seen.get(base, 0) + 1
        svg_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        try:
            svg = renderer.render(DiagramSource(block.source, svg_id, page_path))
        except DiagramError as error:
            # Only now read where the diagram was written (parsing the page's
            # Markdown for it on every build would cost more than drawing).
            origins = page_diagram_origins(page_path, snippet_bases)
            path, first_line = origin_of(block.source, origins, page_path)
            raise DiagramError(path, first_line + error.line - 1, error.message) from None
        drawings[block.start] = f'<div class="mermaid">{svg}</div>'
    return replace_blocks(html, blocks, lambda block: drawings[block.start])
