"""Read the commits that touched the docs folder, oldest first, with their line counts.

One `git log` call for the whole history: `--numstat` gives the lines each
commit added and deleted per file, and the `Change:` trailer of the message
lets an author mark a commit as minor (`Change: minor`). Renames are read as a
deletion and an addition (`--no-renames`): a renamed note starts again as new,
and its old URL is kept working by redirects.yml.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

TRAILER = "Change"
MINOR = "minor"
# Separators git puts in the output, never in a path or a one-line subject.
RECORD, FIELD = "\x1e", "\x1f"


class HistoryState(Enum):
    COMPLETE = "complete"
    SHALLOW = "shallow"  # a shallow clone: older commits are missing
    MISSING = "missing"  # no git, or not a git work tree (a tarball, a copied folder)


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the folder whose history was read
    added: int
    deleted: int


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime
    subject: str
    minor: bool
    changes: tuple[FileChange, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class History:
    state: HistoryState
    commits: tuple[Commit, ...] = ()


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False, encoding="utf-8"
    )


def _is_minor(trailers: str) -> bool:
    return any(value.strip().lower() == MINOR for value in trailers.split(","))


def parse_log(output: str) -> list[Commit]:
    """Commits from `git log --format=<RECORD>sha<FIELD>date<FIELD>subject<FIELD>trailers --numstat`."""
    commits = []
    for record in output.split(RECORD)[1:]:
        header, _, stats = record.partition("\n")
        sha, date, subject, trailers = header.split(FIELD)
        changes = []
        for line in stats.splitlines():
            if not line.strip():
                continue
            added, deleted, path = line.split("\t", 2)
            if added == "-":  # a binary file has no line counts
                continue
            changes.append(FileChange(path, int(added), int(deleted)))
        commits.append(
            Commit(sha, datetime.fromisoformat(date), subject, _is_minor(trailers), tuple(changes))
        )
    return commits


def read_history(folder: Path) -> History:
    """The history of `folder` (paths relative to it), oldest commit first."""
    if shutil.which("git") is None:
        return History(HistoryState.MISSING)
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return History(HistoryState.MISSING)
    shallow = _git(folder, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    log = _git(
        folder,
        "log",
        "--reverse",
        "--no-renames",
        "--relative",
        "--numstat",
        f"--format={RECORD}%H{FIELD}%cI{FIELD}%s{FIELD}%(trailers:key={TRAILER},valueonly,separator=%x2C)",
        "--",
        ".",
    )
    if log.returncode != 0:  # e.g. a repository with no commit yet
        return History(HistoryState.MISSING)
    return History(HistoryState.SHALLOW if shallow else HistoryState.COMPLETE, tuple(parse_log(log.stdout)))
