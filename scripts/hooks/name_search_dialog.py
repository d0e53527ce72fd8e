"""Name Material's search dialog, which its template leaves unnamed (logic in
scripts/accessible_names/search_dialog.py); the build fails if Material's markup changes."""

from __future__ import annotations

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from accessible_names.search_dialog import SearchMarkupChanged, name_search_dialog
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page


def _named(html: str, where: str) -> str:
    try:
        return name_search_dialog(html, where)
    except SearchMarkupChanged as error:
        raise PluginError(str(error)) from error


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _named(output, page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is a theme template, not a page: on_post_page never sees it.
    return _named(output_content, template_name)
