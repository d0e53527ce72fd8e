"""Redirect pages for renamed and moved pages (redirects.yml), written into the built site.

A thin MkDocs adapter over scripts/redirects/: it checks each redirect leads
to a page of this build and writes the old URL's page after the build. Not the
mkdocs-redirects plugin: its pages redirect with an inline script that the
site's Content-Security-Policy would refuse; these run one script, allowed by
its hash, that keeps the old URL's #fragment (scripts/redirects/pages.py).
"""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from redirects.pages import check_targets, redirect_pages, write_pages
from redirects.published import BadRedirects, load_redirects

_redirects: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        redirects = load_redirects(Path(config.config_file_path).resolve().parent)
        check_targets(redirects, lambda path: files.get_file_from_path(path) is not None)
    except BadRedirects as error:
        raise PluginError(str(error)) from error
    _redirects.clear()
    _redirects.update(redirects)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    pages = redirect_pages(_redirects, use_directory_urls=config.use_directory_urls, site_url=config.site_url)
    write_pages(Path(config.site_dir), pages)
