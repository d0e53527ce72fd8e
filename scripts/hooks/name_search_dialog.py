"""Name Material's search dialog, which its template leaves unnamed.

A dialog needs an accessible name (axe rule `aria-dialog-name`). Overriding
Material's search partial would mean copying it whole, so this hook adds the
name to the rendered element and fails the build if Material's markup changes.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

UNNAMED = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def name_search_dialog(html: str, where: str) -> str:
    if UNNAMED not in html:
        if NAMED in html or 'data-md-component="search"' not in html:
            return html
        raise PluginError(f"{where}: Material's search dialog markup changed; update {__file__}")
    return html.replace(UNNAMED, NAMED, 1)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return name_search_dialog(output, page.file.src_uri)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is a theme template, not a page: on_post_page never sees it.
    return name_search_dialog(output_content, template_name)
