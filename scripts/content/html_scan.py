"""Find HTML elements, with their attributes and lines, in a piece of raw HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class HtmlElement:
    # 1-based line within the scanned text.
    line: int
    tag: str
    attrs: tuple[tuple[str, str | None], ...]

    def attr(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    def has_attr(self, name: str) -> bool:
        return any(key == name for key, _ in self.attrs)


class _ElementFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[HtmlElement] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(HtmlElement(self.getpos()[0], tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def html_elements(html: str) -> list[HtmlElement]:
    finder = _ElementFinder()
    finder.feed(html)
    finder.close()
    return finder.elements
