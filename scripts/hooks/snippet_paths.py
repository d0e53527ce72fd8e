"""Fail the build when a page's snippets read a file outside diagrams/ and
docs/includes/ (logic in scripts/content/snippet_reads.py), before the page is
rendered: a snippet of `.env` or `.git/config` would be published."""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from content.snippet_reads import ALLOWED_FOLDERS, outside_allowed, snippet_reads
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "8<-" not in markdown:
        return markdown
    root = Path(config.config_file_path).parent
    outside = outside_allowed(snippet_reads(markdown, root), root)
    if outside:
        listed = ", ".join(f"{asked} ({real})" for asked, real in outside)
        folders = " and ".join(ALLOWED_FOLDERS)
        raise PluginError(f"{page.file.src_uri}: snippets may read only {folders}/: {listed}")
    return markdown
