"""Serve the pinned Mermaid library, from the site itself, to pages with diagrams.

Material draws every ```mermaid fence itself, with the global `mermaid` if a
page loaded one and from a CDN otherwise. The library must not be committed or
fetched from a CDN, so each build copies it from the npm install that `make
setup` made, and each page that has a diagram gets a <script> tag for it
(pages without diagrams never load its 3.5 MB). This replaces the mermaid2
plugin, which did the same by re-parsing every diagram page with BeautifulSoup:
most of the build time of a large site (scripts/bench_build.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# The checkout this hook belongs to, wherever the config that names it lives.
REPO_ROOT = Path(__file__).resolve().parents[2]
LIBRARY_IN_PACKAGE = Path("node_modules/mermaid/dist/mermaid.min.js")
LIBRARY_IN_SITE = "assets/vendor/mermaid/mermaid.min.js"
# What the Mermaid fence writes for each diagram.
DIAGRAM_MARKER = '<pre class="mermaid">'


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = REPO_ROOT
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["mermaid"]
    package_json = root / "node_modules/mermaid/package.json"
    library = root / LIBRARY_IN_PACKAGE
    if not library.is_file() or not package_json.is_file():
        raise PluginError(
            f"The Mermaid library is not installed ({LIBRARY_IN_PACKAGE} is missing): "
            "run `make setup` (or `npm ci`) first."
        )
    installed = json.loads(package_json.read_text())["version"]
    if installed != pinned:
        raise PluginError(
            f"node_modules has Mermaid {installed} but package.json pins {pinned}: "
            "run `make setup` (or `npm ci`)."
        )
    target = Path(config.docs_dir) / LIBRARY_IN_SITE
    # Copy only on change: `mkdocs serve` watches docs_dir and would rebuild forever.
    if not target.is_file() or target.read_bytes() != library.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)
    return config


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if DIAGRAM_MARKER not in output:
        return output
    # Relative, so that it works under any base path and from file:// (offline copy).
    source = get_relative_url(LIBRARY_IN_SITE, page.url)
    head, body_end, tail = output.rpartition("</body>")
    if not body_end:
        raise PluginError(f"{page.file.src_uri}: no </body> to load Mermaid before")
    return f'{head}<script src="{source}"></script>\n{body_end}{tail}'
