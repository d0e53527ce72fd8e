"""Use edited code at the next rebuild, without restarting the server.

A live-preview server rebuilds when a file under scripts/ changes, but Python
keeps every module it imported: the rebuild would run the old code. So before
each rebuild the reloader checks the files of the modules loaded from scripts/;
when one changed, it forgets all of them (the next import loads them from disk).
When nothing changed it forgets nothing, so what a module keeps in memory between
builds (a diagram cache, say) survives an edit to a page.

Forgetting is not enough for a module the builder itself holds: MkDocs loads each
hook from its file once per process and hands the same module object to every
build's configuration. Such modules are "held" (`hold`) and run again from their
file into that same object, which every later configuration then reads. This
uses no private part of MkDocs: it only relies on a configuration reading a
hook's `on_*` functions from the module when it is loaded, which is how a hook
works at all (tests/test_preview.py checks it against the installed MkDocs, and
tests/test_live_preview.py under `mkdocs serve`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parent.parent
# This package does the reloading: forgetting it would forget the reloader's state.
NEVER_FORGOTTEN = frozenset({__package__ or "preview"})
# What importlib sets on a module for its loading; kept when the module runs again.
IMPORT_ATTRIBUTES = frozenset(
    {"__name__", "__loader__", "__spec__", "__file__", "__cached__", "__package__", "__builtins__"}
)


def _file_under(module: ModuleType, root: Path) -> str | None:
    file = getattr(module, "__file__", None)
    return file if file and Path(file).resolve().is_relative_to(root) else None


def _never_forgotten(name: str) -> bool:
    return name.partition(".")[0] in NEVER_FORGOTTEN


def _mtime(file: str) -> float:
    try:
        return Path(file).stat().st_mtime
    except OSError:
        return 0.0  # gone: differs from any time it had


def loaded_code(root: Path, modules: Iterable[ModuleType]) -> dict[str, float]:
    """Modification time of the file of every module loaded from `root`: those imported
    (in sys.modules) and the given `modules`, which may have been loaded otherwise."""
    files = (_file_under(module, root) for module in [*sys.modules.values(), *modules])
    return {file: _mtime(file) for file in files if file is not None}


def changed(before: dict[str, float], now: dict[str, float]) -> bool:
    return any(now.get(file, 0.0) != mtime for file, mtime in before.items())


def forget_code(root: Path) -> None:
    """Drop every module loaded from `root` from sys.modules, but this package."""
    for name, module in list(sys.modules.items()):
        if _file_under(module, root) is not None and not _never_forgotten(name):
            del sys.modules[name]


def run_again(module: ModuleType) -> None:
    """Run the module's file again in the same module object, with the file's folder
    importable meanwhile (as MkDocs loads a hook). A syntax error leaves the module as it was."""
    path = Path(module.__file__ or "")
    code = compile(path.read_bytes(), str(path), "exec")
    namespace = module.__dict__
    # A function the edit removed must not stay behind to be called.
    for name in [name for name in namespace if name not in IMPORT_ATTRIBUTES]:
        del namespace[name]
    saved = sys.path.copy()
    sys.path.insert(0, str(path.parent))
    try:
        exec(code, namespace)
    finally:
        sys.path[:] = saved


def shut_down(module: ModuleType) -> None:
    """Call the module's `on_shutdown` (a hook's last event), if it has one.

    MkDocs calls on_shutdown once, at exit, through the functions it took from
    each hook when the server started. A module run again keeps its namespace
    (run_again), so those functions then act on the new code's state, and the
    state the old code made must be released here, before it is replaced."""
    on_shutdown = getattr(module, "on_shutdown", None)
    if callable(on_shutdown):
        on_shutdown()


class Reloader:
    """Before each rebuild, forget the code loaded from `root` if any of it changed,
    and run the held modules again."""

    def __init__(self, root: Path = SCRIPTS) -> None:
        self.root = root
        self.held: dict[str, ModuleType] = {}
        self.loaded = self._code()
        # Set while a reload has not finished: the next build tries again, edit or not.
        self.stale = False

    def _code(self) -> dict[str, float]:
        return loaded_code(self.root, self.held.values())

    def hold(self, modules: Iterable[ModuleType]) -> None:
        """The modules loaded from files that the builder keeps (each build's hooks)."""
        self.held = {file: module for module in modules if (file := _file_under(module, self.root))}

    def before_build(self) -> None:
        if not (self.stale or changed(self.loaded, self._code())):
            return
        self.stale = True
        # A held module may hold something outside Python (the diagram renderer's
        # browser): let it release that before its code runs again and replaces it.
        for module in self.held.values():
            shut_down(module)
        forget_code(self.root)
        for file, module in self.held.items():
            if Path(file).is_file():  # a hook removed with its file is no longer loaded
                run_again(module)
        self.stale = False
        self.loaded = self._code()

    def after_build(self) -> None:
        # Only modules first imported during the build: for the others, a file edited
        # while the build ran must still count as changed at the next one.
        self.loaded = self._code() | self.loaded


@functools.cache
def reloader() -> Reloader:
    """The reloader of this process, for scripts/."""
    return Reloader()
