"""The fragment targets an HTML page offers: every `id`, and `name` on anchors."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote


class AnchorCollector(HTMLParser):
    """Fed an HTML page chunk by chunk; `anchors` grows as targets appear."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag in ("a", "map", "iframe", "object"))):
                self.anchors.add(value)

    handle_startendtag = handle_starttag


def checkable_fragment(fragment: str) -> bool:
    """Whether a fragment names an anchor at all: text fragments (`:~:text=`), hash-bang and
    client-side routes (`#/path`) are read by scripts, not by id."""
    return bool(fragment) and not fragment.startswith((":~:", "!", "/")) and "=" not in fragment


def has_anchor(anchors: set[str], fragment: str) -> bool:
    # GitHub renders README headings as `user-content-<slug>` and maps the bare fragment with script.
    candidates = {fragment, unquote(fragment)}
    return any(c in anchors or f"user-content-{c}" in anchors for c in candidates)
