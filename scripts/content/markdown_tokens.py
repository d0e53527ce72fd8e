"""Walk a page's Markdown as markdown-it tokens, each with its 1-based line.

The gates read pages through this one parser so that they agree on what is
text, code, HTML or a link. Material's admonitions (`!!! note`) are parsed as
blocks; any other indented block is read again as Markdown, because in this
site indented text is the body of an admonition-like block (Python-Markdown
renders it), not a code sample: a `<script>` or an acronym there must count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

LINE_BREAKS = ("softbreak", "hardbreak")


def page_parser() -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(admon_plugin)
        .use(deflist_plugin)
    )
    # Keep every link, even `javascript:` ones, so the gates can see and refuse them.
    parser.validateLink = lambda url: True
    return parser


@dataclass(frozen=True)
class LocatedToken:
    token: Token
    line: int
    # True for the text of an autolink (`<https://...>`): a URL, not prose.
    in_autolink: bool = False


def walk(text: str, first_line: int = 1) -> Iterator[LocatedToken]:
    """Every block token and every inline child token of `text`, in order."""
    for token in page_parser().parse(text):
        line = first_line + token.map[0] if token.map else first_line
        if token.type == "code_block":
            yield from walk(token.content, line)
            continue
        yield LocatedToken(token, line)
        if token.type == "inline" and token.children:
            yield from _inline_children(token.children, line)


def _inline_children(children: list[Token], line: int) -> Iterator[LocatedToken]:
    in_autolink = False
    for child in children:
        if child.type == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif child.type == "link_close":
            in_autolink = False
        yield LocatedToken(child, line, in_autolink)
        if child.type in LINE_BREAKS:
            line += 1
        elif child.type in ("html_inline", "code_inline", "text"):
            line += child.content.count("\n")
