"""What `make serve` needs for a live preview: an edited hook, or an edited module a
hook imports, is used at the next rebuild, and a rebuild does not redo work that
the edit cannot have changed.

mkdocs.yml's `watch:` makes `mkdocs serve` rebuild when scripts/ changes, but
MkDocs loads each hook once per process (its hook loader is cached) and Python
keeps every module it imported: the rebuild would run the old code. So before
each rebuild this checks the files of the modules loaded from scripts/; when one
changed, it forgets all of them (and the hook loader's cache) and the rebuild
loads them from disk. When nothing changed it forgets nothing, so what a hook
keeps in memory between builds (the diagram renderer's browser) survives a
diagram edit.

A hook that holds something outside Python (that browser) releases it in its
on_shutdown. MkDocs calls on_shutdown once, at exit, and only on the hooks it
loaded at start. So a hook about to be forgotten is shut down first, and at
exit the hooks loaded by a reload are shut down too.

MkDocs also makes a new Jinja environment for every build, which compiles the
theme's templates again; a bytecode cache kept across builds skips that (Jinja
checks each template's source against its cached code, so an edited template is
compiled afresh).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from mkdocs.config.config_options import Hooks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files

SCRIPTS = Path(__file__).resolve().parent.parent


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()
HOOKS = SCRIPTS / "hooks"
# The hook modules MkDocs loaded at start (it shuts those down itself at exit).
_first_hooks: set[int] = set()


def loaded_code() -> dict[str, float]:
    """Modification time of the file of every module loaded from scripts/ (0 if it is gone)."""
    state = {}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file or not Path(file).resolve().is_relative_to(SCRIPTS):
            continue
        try:
            state[file] = Path(file).stat().st_mtime
        except OSError:
            state[file] = 0.0
    return state


def changed(before: dict[str, float]) -> bool:
    now = loaded_code()
    return any(now.get(file, 0.0) != mtime for file, mtime in before.items())


def loaded_hooks() -> list[ModuleType]:
    """The hook modules loaded now, other than this one, in the order they were loaded."""
    return [
        module
        for module in list(sys.modules.values())
        if (file := getattr(module, "__file__", None))
        and Path(file).resolve().parent == HOOKS
        and Path(file).resolve() != Path(__file__).resolve()
    ]


def shut_down(hooks: list[ModuleType]) -> None:
    for hook in hooks:
        if callable(on_shutdown := getattr(hook, "on_shutdown", None)):
            on_shutdown()


def forget_code() -> None:
    """Drop every module loaded from scripts/, and the hooks MkDocs keeps loaded."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve().is_relative_to(SCRIPTS):
            del sys.modules[name]
    Hooks._load_hook.cache_clear()  # MkDocs caches each loaded hook with functools.lru_cache


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = TEMPLATES
    return env


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    # Reimported modules would write fresh .pyc files under scripts/, which `watch:`
    # would take for one more edit and rebuild again.
    sys.dont_write_bytecode = True
    rebuild = server.builder
    loaded = loaded_code()
    _first_hooks.update(id(hook) for hook in loaded_hooks())

    def reload_then_rebuild(*args: Any, **kwargs: Any) -> None:
        nonlocal loaded
        if changed(loaded):
            shut_down(loaded_hooks())
            forget_code()
        try:
            rebuild(*args, **kwargs)
        finally:
            loaded = loaded_code()

    server.builder = reload_then_rebuild
    return server


def on_shutdown() -> None:
    # MkDocs runs this (the copy of this hook it loaded at start) at exit; the
    # hooks it loaded at start it shuts down itself, the ones a reload loaded it
    # does not know.
    shut_down([hook for hook in loaded_hooks() if id(hook) not in _first_hooks])
