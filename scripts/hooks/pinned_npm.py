"""Find a file of an npm package that package.json pins (scripts/content/npm_pins.py),
and publish it with the site; and whether the build makes the offline copy, which
ships such a file.

Not a hook itself: the hooks that ship npm files import it (MkDocs puts a hook's
folder on the import path while loading it).
"""

from __future__ import annotations

from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from content.npm_pins import NotInstalled
from content.npm_pins import pinned_file as pinned_file_in
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# The checkout these hooks belong to, wherever the config that names them lives.
REPO_ROOT = Path(__file__).resolve().parents[2]


def pinned_file(package: str, file_in_package: str) -> Path:
    """The path of `file_in_package` in node_modules/<package>, checked against the pin."""
    try:
        return pinned_file_in(REPO_ROOT, package, file_in_package)
    except NotInstalled as error:
        raise PluginError(str(error)) from error


def publish(files: Files, config: MkDocsConfig, site_path: str, source: Path) -> None:
    """Serve `source` at `site_path` in the built site, as if it were in docs/."""
    files.append(File.generated(config, site_path, abs_src_path=str(source)))


def offline_copy_enabled(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on: the build makes the copy opened from file://."""
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.enabled)
