"""Ship the iframe-worker shim with the offline copy, from node_modules.

Opened from file://, a browser refuses to start the Web Worker that runs
Material's search; the shim runs it in an iframe instead. Material's offline
plugin would load the shim from a CDN, which the offline copy cannot reach, so
when that plugin is on this hook points the page at a local copy (before the
plugin looks) and copies the pinned npm file into the built site.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from pinned_npm import offline_copy_enabled, pinned_file, publish

SHIM_IN_SITE = "assets/vendor/iframe-worker/shim.js"


# Before the offline plugin's on_config, which adds the CDN copy only when no
# polyfill named iframe-worker is listed yet.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if offline_copy_enabled(config):
        # Fail before building anything if the pinned shim is not installed.
        pinned_file("iframe-worker", "shim/index.js")
        config.extra["polyfills"] = [SHIM_IN_SITE]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if offline_copy_enabled(config):
        publish(files, config, SHIM_IN_SITE, pinned_file("iframe-worker", "shim/index.js"))
    return files
