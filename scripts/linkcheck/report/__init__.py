"""Renderings of one run: text for people, JSON for tools, Markdown for GitHub, annotations for CI."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from linkcheck.verdict import FAILING, LinkResult, Status

# Most urgent first: the order of every grouped report.
STATUS_ORDER = (
    Status.DEAD,
    Status.INVALID,
    Status.UNREACHABLE,
    Status.BLOCKED,
    Status.REDIRECTED,
    Status.EXCLUDED,
    Status.OK,
)


@dataclass
class Report:
    links: list[LinkResult]
    generated_at: datetime

    @classmethod
    def of(cls, links: list[LinkResult]) -> Report:
        return cls(links, datetime.now(UTC))

    @property
    def failing(self) -> list[LinkResult]:
        return [r for r in self.links if r.verdict.status in FAILING]

    def counts(self) -> dict[str, int]:
        counted = Counter(r.verdict.status for r in self.links)
        return {status.value: counted.get(status, 0) for status in STATUS_ORDER}

    def by_status(self, status: Status) -> list[LinkResult]:
        return [r for r in self.links if r.verdict.status is status]


def wayback_url(url: str) -> str:
    """The Wayback Machine's list of snapshots of `url`: a lookup for the fixer, never fetched here."""
    return "https://web.archive.org/web/*/" + quote(url, safe=":/?&=#%+~@!$,;")


def note(result: LinkResult) -> str:
    """The short reason a link got its verdict, for grouping."""
    return result.verdict.message or (
        f"HTTP {result.verdict.code}" if result.verdict.code else result.verdict.status.value
    )
