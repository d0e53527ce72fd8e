"""Redirect pages for renamed and moved pages (redirects.yml), written into the built site.

A thin MkDocs adapter over scripts/redirects/: it checks each redirect leads
to a page of this build and writes the old URL's page after the build. Not the
mkdocs-redirects plugin: its pages redirect with an inline script, which the
site's Content-Security-Policy refuses; these use a meta refresh alone.
"""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from redirects.pages import final_target, redirect_pages
from redirects.published import REDIRECTS_FILE, BadRedirects, load_redirects

_redirects: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    try:
        redirects = load_redirects(root)
    except BadRedirects as error:
        raise PluginError(str(error)) from error
    for old in redirects:
        if files.get_file_from_path(old) is not None:
            raise PluginError(f"{REDIRECTS_FILE}: {old} is still a page; its redirect would overwrite it")
        target = final_target(old, redirects)
        if files.get_file_from_path(target) is None:
            raise PluginError(f"{REDIRECTS_FILE}: {old} redirects to {target}, which is not a page")
    _redirects.clear()
    _redirects.update(redirects)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    pages = redirect_pages(_redirects, use_directory_urls=config.use_directory_urls, site_url=config.site_url)
    for relative, html in pages.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
