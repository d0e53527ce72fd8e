"""Refuse a drawing that could run script on the page it is inlined into.

Diagram sources come from pull requests. Mermaid sanitises labels, but its
output goes into the page as markup, so the renderer checks it once more: no
element that runs or embeds content, no event handler, no script URL.
"""

from __future__ import annotations

from html.parser import HTMLParser

FORBIDDEN_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form"}
)
URL_ATTRIBUTES = frozenset({"href", "xlink:href", "src", "action", "formaction", "data"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(SCRIPT_SCHEMES):
                    self.problems.append(f"script URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def unsafe_markup(svg: str) -> list[str]:
    """What in `svg` could run script once inlined in a page (empty if nothing)."""
    scanner = _Scanner()
    scanner.feed(svg)
    scanner.close()
    return scanner.problems
