"""Symlinks: none under docs/, diagrams/ or overrides/.

pymdownx.snippets checks that a snippet path stays under its base path, but
without resolving links, and MkDocs copies a linked static file as its target:
`docs/assets/x.txt -> /proc/self/environ` would publish the build's environment,
and `diagrams/x.mmd -> ../.git/config` the checkout's credentials. A link here
is never needed, so any link is refused (scripts/hooks/refuse_symlinks.py
refuses them in the build too).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gates.finding import Finding

CHECKED = ("docs", "diagrams", "overrides")


def symlinks_under(folder: Path) -> Iterable[Path]:
    if folder.is_symlink():
        yield folder
        return
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            yield path


def symlinks(root: Path) -> list[Finding]:
    return [
        Finding(path, 1, f"symbolic link (to {path.readlink()}): commit the file itself, or nothing")
        for folder in CHECKED
        for path in symlinks_under(root / folder)
    ]


def escapes(path: Path, folder: Path) -> bool:
    """Whether `path`, a file under `folder`, is a link or resolves outside `folder`."""
    return path.is_symlink() or not path.resolve().is_relative_to(folder.resolve())
