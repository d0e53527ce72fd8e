"""Show "Referenced by" on every note that other notes link to, computed at each build.

A thin MkDocs adapter over scripts/referenced_by/: it hands every page's source to
it once the files are known, and appends each page's list as it is rendered.
"""

from __future__ import annotations

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from referenced_by.referrers import collect_referrers, with_referenced_by

# target src_uri -> {source src_uri: source title}, rebuilt on every build.
_referrers: dict[str, dict[str, str]] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    sources = {file.src_uri: file.content_string for file in files.documentation_pages()}
    # get_data is how MkDocs itself splits front matter, so titles match the site's.
    _referrers.clear()
    _referrers.update(collect_referrers(sources, get_data))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return with_referenced_by(markdown, page.file.src_uri, _referrers.get(page.file.src_uri))
