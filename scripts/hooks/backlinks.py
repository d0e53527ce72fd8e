"""Show "Referenced by" on every note that other notes link to, computed at each build.

Links are read from each note's Markdown source with markdown-it-py, so a link
in code or in a URL's text does not count; only notes (pages in a section
folder) count as sources and targets. Nothing is written to docs/: the list is
appended to the page's Markdown as it is rendered.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
from urllib.parse import unquote, urlsplit

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from content.site_pages import is_note_path
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

HEADING = "Referenced by"

# target src_uri -> {source src_uri: source title}, rebuilt on every build.
_referrers: dict[str, dict[str, str]] = {}


@functools.cache
def _parser(*plugins: str) -> MarkdownIt:
    """One parser per flavour for the whole build: making one compiles dozens of patterns,
    which took most of this hook's time when done for every page."""
    parser = MarkdownIt("commonmark")
    if "admonitions" in plugins:
        parser.use(admon_plugin).enable("table")
    return parser


def is_note(src_uri: str) -> bool:
    # A section's index page lists its notes: it would be a "Referenced by" on each.
    return is_note_path(src_uri)


# Both read a page's whole source; cached on it, so a rebuild under `make serve` reparses
# only the pages that changed (and note_title runs once per page, not once per link).
@functools.lru_cache(maxsize=4096)
def note_title(markdown: str, src_uri: str) -> str:
    body, meta = get_data(markdown)
    if isinstance(meta.get("title"), str):
        return meta["title"]
    tokens = _parser().parse(body)
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and opening.tag == "h1":
            return inline.content
    return posixpath.splitext(posixpath.basename(src_uri))[0]


@functools.lru_cache(maxsize=4096)
def linked_pages(markdown: str, src_uri: str) -> frozenset[str]:
    """The src_uri of every page the Markdown links to with a relative `.md` link."""
    body, _ = get_data(markdown)
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


def collect_referrers(sources: dict[str, str]) -> dict[str, dict[str, str]]:
    """Map each note to the notes linking to it, from {src_uri: Markdown source}."""
    referrers: dict[str, dict[str, str]] = {}
    for source, markdown in sources.items():
        if not is_note(source):
            continue
        for target in linked_pages(markdown, source):
            if target != source and is_note(target) and target in sources:
                referrers.setdefault(target, {})[source] = note_title(markdown, source)
    return referrers


def referenced_by_markdown(page_uri: str, referrers: dict[str, str]) -> str:
    lines = [f"## {HEADING}", ""]
    for source, title in sorted(referrers.items(), key=lambda item: item[1].lower()):
        link = posixpath.relpath(source, posixpath.dirname(page_uri) or ".")
        text = title.replace("[", "\\[").replace("]", "\\]")
        lines.append(f"- [{text}]({link})")
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    sources = {file.src_uri: file.content_string for file in files.documentation_pages()}
    _referrers.clear()
    _referrers.update(collect_referrers(sources))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    referrers = _referrers.get(page.file.src_uri)
    if not referrers:
        return markdown
    return f"{markdown.rstrip()}\n\n{referenced_by_markdown(page.file.src_uri, referrers)}"
