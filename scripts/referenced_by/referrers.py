"""Which notes link to which, from each page's Markdown source, and the "Referenced by" list.

Links are read with markdown-it-py, so a link in code or in a URL's text does not
count; only notes (pages in a section folder) count as sources and targets.
Nothing is written to docs/: the list is appended to the page's Markdown as it
is rendered.

How a page's front matter is split from its body is the builder's own rule
(MkDocs: `mkdocs.utils.meta.get_data`), so the caller passes it in as `split`:
the title a note gets here is then the title the site shows.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from content.site_pages import is_note_path
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin

HEADING = "Referenced by"

# A page's Markdown -> (its body without front matter, its front matter).
Split = Callable[[str], tuple[str, Mapping[str, Any]]]


@functools.cache
def _parser(*plugins: str) -> MarkdownIt:
    """One parser per flavour for the whole build: making one compiles dozens of patterns,
    which took most of the backlinks' time when done for every page."""
    parser = MarkdownIt("commonmark")
    if "admonitions" in plugins:
        parser.use(admon_plugin).enable("table")
    return parser


# Both read a page's whole source; cached on it, so a rebuild under `make serve` reparses
# only the pages that changed (and note_title runs once per page, not once per link).
@functools.lru_cache(maxsize=4096)
def note_title(markdown: str, src_uri: str, split: Split) -> str:
    """The page's title: its front matter `title`, else its first level-one heading, else its file name."""
    body, meta = split(markdown)
    if isinstance(meta.get("title"), str):
        return meta["title"]
    tokens = _parser().parse(body)
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and opening.tag == "h1":
            return inline.content
    return posixpath.splitext(posixpath.basename(src_uri))[0]


@functools.lru_cache(maxsize=4096)
def linked_pages(markdown: str, src_uri: str, split: Split) -> frozenset[str]:
    """The src_uri of every page the Markdown links to with a relative `.md` link."""
    body, _ = split(markdown)
    targets = set()
    for token in _parser("admonitions").parse(body):
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue
            path = unquote(parts.path)
            if path.endswith(".md"):
                targets.add(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)))
    return frozenset(targets)


def collect_referrers(sources: Mapping[str, str], split: Split) -> dict[str, dict[str, str]]:
    """Map each note to the notes linking to it ({source src_uri: source title}),
    from {src_uri: Markdown source} of every page."""
    referrers: dict[str, dict[str, str]] = {}
    for source, markdown in sources.items():
        # A section's index page lists its notes: it would be a "Referenced by" on each.
        if not is_note_path(source):
            continue
        for target in linked_pages(markdown, source, split):
            if target != source and is_note_path(target) and target in sources:
                referrers.setdefault(target, {})[source] = note_title(markdown, source, split)
    return referrers


def referenced_by_markdown(page_uri: str, referrers: Mapping[str, str]) -> str:
    """The "Referenced by" section for the page at `page_uri`, its links relative to it, sorted by title."""
    lines = [f"## {HEADING}", ""]
    for source, title in sorted(referrers.items(), key=lambda item: item[1].lower()):
        link = posixpath.relpath(source, posixpath.dirname(page_uri) or ".")
        text = title.replace("[", "\\[").replace("]", "\\]")
        lines.append(f"- [{text}]({link})")
    return "\n".join(lines) + "\n"


def with_referenced_by(markdown: str, page_uri: str, referrers: Mapping[str, str] | None) -> str:
    """The page's Markdown with its "Referenced by" section appended, if any note links to it."""
    if not referrers:
        return markdown
    return f"{markdown.rstrip()}\n\n{referenced_by_markdown(page_uri, referrers)}"
