"""Ship the iframe-worker shim with the offline copy, from node_modules.

Opened from file://, a browser refuses to start the Web Worker that runs
Material's search; the shim runs it in an iframe instead. Material's offline
plugin would load the shim from a CDN, which the offline copy cannot reach, so
when that plugin is on this hook points the page at a local copy (before the
plugin looks) and copies the pinned npm file into the built site.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIM_IN_PACKAGE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_IN_SITE = "assets/vendor/iframe-worker/shim.js"


def offline_copy_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.enabled)


# Before the offline plugin's on_config, which adds the CDN copy only when no
# polyfill named iframe-worker is listed yet.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not offline_copy_enabled(config):
        return config
    shim = REPO_ROOT / SHIM_IN_PACKAGE
    pinned = json.loads((REPO_ROOT / "package.json").read_text())["devDependencies"]["iframe-worker"]
    package_json = shim.parent.parent / "package.json"
    if not shim.is_file() or not package_json.is_file():
        raise PluginError(f"{SHIM_IN_PACKAGE} is missing: run `make setup` (or `npm ci`) first.")
    installed = json.loads(package_json.read_text())["version"]
    if installed != pinned:
        raise PluginError(
            f"node_modules has iframe-worker {installed} but package.json pins {pinned}: run `make setup`."
        )
    config.extra["polyfills"] = [SHIM_IN_SITE]
    return config


def on_post_build(config: MkDocsConfig) -> None:
    if not offline_copy_enabled(config):
        return
    target = Path(config.site_dir) / SHIM_IN_SITE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / SHIM_IN_PACKAGE, target)
