"""Serve the pinned Mermaid library, from the site itself, to pages with diagrams.

Material draws every ```mermaid fence itself, with the global `mermaid` if a
page loaded one and from a CDN otherwise. So each build publishes the library
from the npm install (see pinned_npm.py), and each page that has a diagram gets
a <script> tag for it (pages without diagrams never load its 3.5 MB). This
replaces the mermaid2 plugin, which did the same by re-parsing every diagram
page with BeautifulSoup: most of the build time of a large site
(scripts/bench_build.py).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from pinned_npm import pinned_file, publish

LIBRARY_IN_SITE = "assets/vendor/mermaid/mermaid.min.js"
# What the Mermaid fence writes for each diagram.
DIAGRAM_MARKER = '<pre class="mermaid">'


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Fail before building anything if the pinned library is not installed.
    pinned_file("mermaid", "dist/mermaid.min.js")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    publish(files, config, LIBRARY_IN_SITE, pinned_file("mermaid", "dist/mermaid.min.js"))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if DIAGRAM_MARKER not in output:
        return output
    # Relative, so that it works under any base path and from file:// (offline copy).
    source = get_relative_url(LIBRARY_IN_SITE, page.url)
    head, body_end, tail = output.rpartition("</body>")
    if not body_end:
        raise PluginError(f"{page.file.src_uri}: no </body> to load Mermaid before")
    return f'{head}<script src="{source}"></script>\n{body_end}{tail}'
