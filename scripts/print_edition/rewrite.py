"""Rewrite one page's rendered HTML for the print page, in one pass of the
standard library's HTML tokenizer, re-emitting every token unchanged except:

- ids (and the references to them) get the page's prefix, since every note has
  a "references" heading and footnotes numbered from 1;
- links to a printed page, or to a heading in one, point inside the print page;
  other relative links and image sources are rebased to the print page's URL;
- headings move one level down (the note's title becomes an h2 under the
  print page's h1);
- the first use of each abbreviation in a page is followed by its expansion in
  brackets, since a tooltip cannot be hovered on paper;
- code blocks get Material's `no-copy` class: a copy button is no use on paper,
  and dozens of them would be dozens of same-named navigation landmarks.

Anything inside an <svg> (a diagram drawn at build time) passes untouched: its
ids are referenced by its own styles and markers.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

HEADINGS = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}
ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "for")


@dataclass(frozen=True)
class LinkTarget:
    """Where a relative link from a printed page lands: `anchor` when its page is printed, else `url`."""

    anchor: str | None = None
    url: str | None = None


@dataclass
class PageContext:
    prefix: str  # the page's id prefix, e.g. "foundations-coupling--"
    page_url: str  # the page's URL relative to the site root, e.g. "foundations/coupling/"
    # Resolves a site-relative URL (page URL + "#fragment") to where it goes on the print page.
    resolve: Callable[[str, str], LinkTarget]
    abbreviations_seen: set[str] = field(default_factory=set)


def _attributes(attrs: list[tuple[str, str | None]]) -> str:
    return "".join(
        f' {name}="{html.escape(value, quote=True)}"' if value is not None else f" {name}"
        for name, value in attrs
    )


def site_path(page_url: str, href: str) -> str:
    """A relative href on the page at `page_url`, as a path from the site root."""
    joined = posixpath.normpath(
        posixpath.join(posixpath.dirname(page_url) if not page_url.endswith("/") else page_url, href)
    )
    if joined == ".":
        return ""
    if href.endswith("/") or href in ("", "."):
        joined += "/"
    return joined


class _Rewriter(HTMLParser):
    def __init__(self, context: PageContext) -> None:
        super().__init__(convert_charrefs=False)
        self.context = context
        self.out: list[str] = []
        self.svg_depth = 0
        self.heading_depth = 0
        self.abbr_title: str | None = None

    # Tokens that pass as they are.
    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closing: str) -> None:
        raw = self.get_starttag_text() or ""
        if self.svg_depth or tag == "svg":
            if tag == "svg" and closing == ">":
                self.svg_depth += 1
            self.out.append(raw)
            return
        new_tag = HEADINGS.get(tag, tag)
        if tag in HEADINGS:
            self.heading_depth += 1
        if tag == "abbr":
            self.abbr_title = dict(attrs).get("title")
        new_attrs = [(name, self._attribute(tag, name, value)) for name, value in attrs]
        if tag == "div":
            new_attrs = [
                (
                    name,
                    f"{value} no-copy"
                    if name == "class" and value and "highlight" in value.split()
                    else value,
                )
                for name, value in new_attrs
            ]
        if new_tag == tag and new_attrs == attrs:
            self.out.append(raw)
        else:
            self.out.append(f"<{new_tag}{_attributes(new_attrs)}{closing}")

    def _attribute(self, tag: str, name: str, value: str | None) -> str | None:
        if value is None:
            return None
        prefix = self.context.prefix
        if name == "id":
            return prefix + value
        if name in ID_REFERENCES:
            return " ".join(prefix + part for part in value.split())
        if name == "href" or (name == "src" and tag in ("img", "source")):
            return self._url(value)
        return value

    def _url(self, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith("/"):
            return value
        if not parts.path:
            return f"#{self.context.prefix}{parts.fragment}" if parts.fragment else value
        target = self.context.resolve(site_path(self.context.page_url, parts.path), parts.fragment)
        if target.anchor is not None:
            return f"#{target.anchor}"
        return target.url or value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, " />")

    def handle_endtag(self, tag: str) -> None:
        if self.svg_depth:
            if tag == "svg":
                self.svg_depth -= 1
            self.out.append(f"</{tag}>")
            return
        if tag in HEADINGS:
            self.heading_depth = max(self.heading_depth - 1, 0)
        self.out.append(f"</{HEADINGS.get(tag, tag)}>")
        seen = self.context.abbreviations_seen
        if tag == "abbr" and self.abbr_title and not self.heading_depth and self.abbr_title not in seen:
            seen.add(self.abbr_title)
            self.out.append(f' <span class="print-expansion">({html.escape(self.abbr_title)})</span>')
        if tag == "abbr":
            self.abbr_title = None


def rewrite_page(content: str, context: PageContext) -> str:
    rewriter = _Rewriter(context)
    rewriter.feed(content)
    rewriter.close()
    return "".join(rewriter.out)
