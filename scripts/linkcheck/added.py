"""Only the links a change adds: URLs found now that the same files did not have at a git revision.

A pull request's job checks these alone, so a contributor is never blamed for
rot elsewhere. The old texts are read with `git show` and parsed exactly like
the current ones.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from linkcheck.collect import MARKDOWN_SUFFIXES, YAML_SUFFIXES, Collected, collect_text


class RevisionError(Exception):
    pass


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace"
        )
    except OSError as error:
        raise RevisionError(f"cannot run git: {error}") from None
    if result.returncode != 0:
        raise RevisionError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed")
    return result.stdout


def urls_at_revision(root: Path, revision: str, paths: list[Path]) -> set[str]:
    """Every external URL the given files and folders held at `revision`."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"{revision!r} is not a commit in this repository") from None
    relative = []
    for path in paths:
        try:
            relative.append(path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue
    if not relative:
        return set()
    names = _git(root, "ls-tree", "-r", "--name-only", revision, "--", *relative).splitlines()
    old = Collected()
    for name in names:
        if name.lower().endswith(MARKDOWN_SUFFIXES + YAML_SUFFIXES):
            collect_text(name, _git(root, "show", f"{revision}:{name}"), old)
    return set(old.urls)


def only_added(collected: Collected, before: set[str]) -> Collected:
    return Collected(
        {url: sources for url, sources in collected.urls.items() if url not in before}, collected.problems
    )
