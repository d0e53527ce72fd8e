"""Verdicts kept between runs in SQLite, one row per link, committed as each arrives.

Each verdict is committed the moment it is known (WAL journal), so Ctrl-C or
a crash loses nothing already checked. `unreachable_since` is the history that
escalation needs: when a link first became unreachable in an unbroken series
of runs.
It also remembers the URLs of each file parsed, keyed by its size and mtime, so a
warm run does not parse unchanged Markdown again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from linkcheck.verdict import Status, Verdict

SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    code INTEGER,
    final_url TEXT,
    message TEXT NOT NULL,
    checked_at REAL NOT NULL,
    unreachable_since REAL
);
CREATE TABLE IF NOT EXISTS parsed (
    file TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    urls TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CachedVerdict:
    verdict: Verdict
    checked_at: float
    unreachable_since: float | None


class CacheError(Exception):
    pass


class ResultCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._rows = {
                url: CachedVerdict(Verdict(Status(status), code, final_url, message), checked_at, since)
                for url, status, code, final_url, message, checked_at, since in self._db.execute(
                    "SELECT url, status, code, final_url, message, checked_at, unreachable_since FROM links"
                )
            }
        except (sqlite3.Error, OSError, ValueError) as error:
            raise CacheError(f"cannot use the cache {path}: {error}") from None

    def get(self, url: str) -> CachedVerdict | None:
        return self._rows.get(url)

    def fresh(self, url: str, now: float, max_age: dict[Status, float]) -> Verdict | None:
        """The cached verdict when it is younger than its verdict's maximum age."""
        row = self._rows.get(url)
        if row is None:
            return None
        if now - row.checked_at < max_age.get(row.verdict.status, 0.0):
            return row.verdict
        return None

    def store(self, url: str, verdict: Verdict, now: float) -> float | None:
        """Record a verdict as checked now; returns since when the link has been unreachable."""
        previous = self._rows.get(url)
        since = None
        if verdict.status is Status.UNREACHABLE:
            keep = previous is not None and previous.verdict.status is Status.UNREACHABLE
            since = previous.unreachable_since if keep and previous.unreachable_since else now
        self._rows[url] = CachedVerdict(verdict, now, since)
        self._db.execute(
            "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, verdict.status.value, verdict.code, verdict.final_url, verdict.message, now, since),
        )
        return since

    def parsed(self, name: str, stamp: str) -> list[tuple[int, str]] | None:
        """The URLs remembered for a file whose stamp (parser version, mtime, size) still matches."""
        row = self._db.execute("SELECT stamp, urls FROM parsed WHERE file = ?", (name,)).fetchone()
        if row is None or row[0] != stamp:
            return None
        return [(line, url) for line, url in json.loads(row[1])]

    def remember_parsed(self, name: str, stamp: str, found: list[tuple[int, str]]) -> None:
        self._db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", (name, stamp, json.dumps(found)))

    def close(self) -> None:
        self._db.close()
