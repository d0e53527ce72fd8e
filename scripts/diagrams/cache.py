"""Drawn diagrams on disk, one SVG file per content hash, pruned of what no build uses.

A key covers everything a drawing depends on (see settings.py), so an entry
never goes stale: it is either the right drawing or never looked up again.
Entries of a diagram since edited, or drawn by older code, would pile up, so
the policy is: every lookup that finds an entry marks it used (its
modification time is set to now), and after a build that succeeded, entries
not used for KEEP_DAYS days are removed. An entry the current site uses was
marked by that very build, so pruning never costs the next build a drawing;
switching back to a branch within KEEP_DAYS days finds its drawings still there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_DAYS = 30
DAY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Pruned:
    removed: int
    kept: int


class DrawingCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.svg"

    def get(self, key: str) -> str | None:
        path = self._path(key)
        try:
            svg = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        # Used now (see prune()). A read-only cache still serves; it just keeps its entries' ages.
        with contextlib.suppress(OSError):
            os.utime(path)
        return svg

    def put(self, key: str, svg: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a build that stops half-way leaves no torn entry.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(svg)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def prune(self) -> Pruned:
        """Remove every file not used for KEEP_DAYS days (a temporary file a killed build left too),
        and folders left empty. Call it only after a build that succeeded."""
        oldest = time.time() - KEEP_DAYS * DAY_SECONDS
        removed = kept = 0
        if not self.directory.is_dir():
            return Pruned(0, 0)
        for folder in self.directory.iterdir():
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if not entry.is_file():
                    continue
                try:
                    if entry.stat().st_mtime < oldest:
                        entry.unlink()
                        removed += 1
                    else:
                        kept += 1
                except FileNotFoundError:
                    pass  # another build removed or renamed it meanwhile
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        return Pruned(removed, kept)
