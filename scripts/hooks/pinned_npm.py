"""Find a file of an npm package that package.json pins, and publish it with the site.

Not a hook itself: the vendor_* hooks import it (MkDocs puts a hook's folder on
the import path while loading it). Files from node_modules are never committed
and never fetched from a CDN; each build takes them from the npm install that
`make setup` made, after checking it is the pinned version.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# The checkout these hooks belong to, wherever the config that names them lives.
REPO_ROOT = Path(__file__).resolve().parents[2]


def pinned_file(package: str, file_in_package: str) -> Path:
    """The path of `file_in_package` in node_modules/<package>, checked against the pin."""
    manifest = json.loads((REPO_ROOT / "package.json").read_text())
    pins = manifest.get("dependencies", {}) | manifest.get("devDependencies", {})
    installed_dir = REPO_ROOT / "node_modules" / package
    path = installed_dir / file_in_package
    if not path.is_file() or not (installed_dir / "package.json").is_file():
        raise PluginError(
            f"node_modules/{package}/{file_in_package} is missing: run `make setup` (or `npm ci`) first."
        )
    installed = json.loads((installed_dir / "package.json").read_text())["version"]
    if installed != pins[package]:
        raise PluginError(
            f"node_modules has {package} {installed} but package.json pins {pins[package]}: "
            "run `make setup` (or `npm ci`)."
        )
    return path


def publish(files: Files, config: MkDocsConfig, site_path: str, source: Path) -> None:
    """Serve `source` at `site_path` in the built site, as if it were in docs/."""
    files.append(File.generated(config, site_path, abs_src_path=str(source)))
