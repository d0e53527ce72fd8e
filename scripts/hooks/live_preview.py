"""What `make serve` needs for a live preview (logic in scripts/preview/): an
edited hook, or an edited module a hook imports, is used at the next rebuild, and
a rebuild does not redo work that the edit cannot have changed.

mkdocs.yml's `watch:` makes `mkdocs serve` rebuild when scripts/ changes; before
each rebuild the reloader forgets the code loaded from scripts/ if any of it
changed, and runs again the hooks MkDocs keeps loaded (each build's
`config.hooks`). The theme's compiled templates are kept across builds.
"""

from __future__ import annotations

import sys

import jinja2
import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from preview.builds import around_builds
from preview.reload import reloader
from preview.templates import TEMPLATES


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # MkDocs loads each hook once per process and gives every build the same module.
    reloader().hold(config.hooks.values())
    return config


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = TEMPLATES
    return env


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    # Reimported modules would write fresh .pyc files under scripts/, which `watch:`
    # would take for one more edit and rebuild again.
    sys.dont_write_bytecode = True
    code = reloader()
    code.after_build()  # the first build is done: what it loaded is the code to compare edits with
    server.builder = around_builds(server.builder, before=code.before_build, after=code.after_build)
    return server
