"""Which commits are news: a note's first commit, and later commits that change
more than a share of it (SUBSTANTIAL_SHARE of its lines), unless marked minor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import PurePosixPath

from whats_new.history import Commit

# A commit is news when the lines it adds or deletes (the larger of the two)
# exceed this share of the note's length before it: a typo fix is not news, a
# rewritten section is.
SUBSTANTIAL_SHARE = 0.2


class Kind(Enum):
    NEW = "new"
    CHANGED = "changed"


@dataclass(frozen=True)
class Event:
    kind: Kind
    path: str
    title: str
    date: datetime
    subject: str
    sha: str

    @property
    def month(self) -> tuple[int, int]:
        return (self.date.year, self.date.month)


def note_title(title: object, path: str) -> str:
    """A note's title: its front matter `title`, else its file name made readable."""
    return title if isinstance(title, str) else PurePosixPath(path).stem.replace("-", " ").capitalize()


def note_events(
    commits: Iterable[Commit], titles: dict[str, str], share: float = SUBSTANTIAL_SHARE
) -> list[Event]:
    """Events for the notes in `titles` ({path: title}; other files are ignored), oldest first."""
    lines: dict[str, int] = {}
    events = []
    for commit in commits:
        for change in commit.changes:
            if change.path not in titles:
                continue
            before = lines.get(change.path)
            lines[change.path] = (before or 0) + change.added - change.deleted
            if before is None:
                kind: Kind | None = Kind.NEW
            elif not commit.minor and max(change.added, change.deleted) > share * max(before, 1):
                kind = Kind.CHANGED
            else:
                kind = None
            if kind is not None:
                events.append(
                    Event(kind, change.path, titles[change.path], commit.date, commit.subject, commit.sha)
                )
    return events


def by_month(events: Iterable[Event]) -> list[tuple[tuple[int, int], list[Event]]]:
    """Newest month first; in each month one event per note (new beats changed,
    else its latest change), newest first."""
    months: dict[tuple[int, int], dict[str, Event]] = {}
    for event in events:
        notes = months.setdefault(event.month, {})
        earlier = notes.get(event.path)
        if earlier is not None and earlier.kind is Kind.NEW:
            continue  # changes in the month a note arrived are part of its arrival
        notes[event.path] = event
    return [
        (month, sorted(notes.values(), key=lambda e: (e.date, e.title), reverse=True))
        for month, notes in sorted(months.items(), reverse=True)
    ]
