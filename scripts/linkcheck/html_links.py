"""Link targets in raw HTML inside Markdown (`<a href=...>`, `<img src=...>`), for collect.py.

Its own module so that Markdown without raw HTML never loads the HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser


class HtmlLinks(HTMLParser):
    """href and src values of raw HTML inside Markdown (`<a href=...>`, `<img src=...>`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append((self.getpos()[0] - 1, value))
