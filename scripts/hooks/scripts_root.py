"""Make the packages under scripts/ (content, gates, linkcheck, ...) importable from a hook.

MkDocs loads each hook from its file path with only the hook's own folder on
sys.path, and puts sys.path back as it was once the hook is loaded. So a hook
starts with `import scripts_root`, which adds a finder for scripts/ to
sys.meta_path: unlike a sys.path entry it outlives the hook's loading, and as
the last finder it never shadows the standard library or an installed package.
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

SCRIPTS = str(Path(__file__).resolve().parent.parent)


class ScriptsFinder:
    """Finds top-level modules in scripts/ when nothing before it in sys.meta_path did."""

    marker = "architecture-notes scripts/"

    @staticmethod
    def find_spec(
        fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if path is not None:
            return None  # a submodule: its package's own __path__ finds it
        return importlib.machinery.PathFinder.find_spec(fullname, [SCRIPTS], target)


if not any(getattr(finder, "marker", None) == ScriptsFinder.marker for finder in sys.meta_path):
    sys.meta_path.append(ScriptsFinder())
