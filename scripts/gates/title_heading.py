"""Title heading: a page's H1 is its front matter title (search, the browser tab
and the nav show the title; the reader sees the H1)."""

from __future__ import annotations

import itertools
from pathlib import Path

from content.markdown_tokens import walk

from gates.finding import Finding
from gates.front_matter import FrontMatterError, read_front_matter


def title_heading(page: Path) -> list[Finding]:
    text = page.read_text(encoding="utf-8")
    try:
        front = read_front_matter(text)
    except FrontMatterError:
        return []  # the front matter check reports it
    title = front.data.get("title") if front else None
    if not isinstance(title, str):
        return []
    located = list(walk(text))
    for opening, inline in itertools.pairwise(located):
        if opening.token.type == "heading_open" and opening.token.tag == "h1":
            heading = inline.token.content.strip()
            if heading != title.strip():
                return [Finding(page, opening.line, f"H1 {heading!r} differs from the title {title!r}")]
            return []
    return [Finding(page, front.first_line if front else 1, f"no H1: start the page with `# {title}`")]
