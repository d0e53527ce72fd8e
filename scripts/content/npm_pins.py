"""Find a file of an npm package that package.json pins, in the install `make setup` made.

Files from node_modules are never committed and never fetched from a CDN: a
build takes them from the local install, after checking it is the pinned version.
"""

from __future__ import annotations

import json
from pathlib import Path


class NotInstalled(RuntimeError):
    """The package is missing from node_modules, or is not the version package.json pins."""


def pinned_file(root: Path, package: str, file_in_package: str) -> Path:
    """The path of `file_in_package` in `root`/node_modules/<package>, checked against the pin."""
    manifest = json.loads((root / "package.json").read_text())
    pins = manifest.get("dependencies", {}) | manifest.get("devDependencies", {})
    installed_dir = root / "node_modules" / package
    path = installed_dir / file_in_package
    if not path.is_file() or not (installed_dir / "package.json").is_file():
        raise NotInstalled(
            f"node_modules/{package}/{file_in_package} is missing: run `make setup` (or `npm ci`) first."
        )
    installed = json.loads((installed_dir / "package.json").read_text())["version"]
    if installed != pins[package]:
        raise NotInstalled(
            f"node_modules has {package} {installed} but package.json pins {pins[package]}: "
            "run `make setup` (or `npm ci`)."
        )
    return path
