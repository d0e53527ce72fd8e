"""Copy the pinned Mermaid library from node_modules into the docs.

mermaid2 serves a local `javascript:` path only if the file exists under
docs_dir, and the library must not be committed or fetched from a CDN, so each
build copies it from the npm install that `make setup` made.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# The checkout this hook belongs to, wherever the config that names it lives.
REPO_ROOT = Path(__file__).resolve().parents[2]
LIBRARY_IN_PACKAGE = Path("node_modules/mermaid/dist/mermaid.min.js")


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
    target = Path(config.docs_dir) / config.plugins["mermaid2"].config["javascript"]
    # Copy only on change: `mkdocs serve` watches docs_dir and would rebuild forever.
    if not target.is_file() or target.read_bytes() != library.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)
    return config
