"""The vocabulary every stage shares: where a link was found and what became of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"
    DEAD = "dead"
    BLOCKED = "blocked"
    UNREACHABLE = "unreachable"
    INVALID = "invalid"
    EXCLUDED = "excluded"


# Only these fail a run: the others are either fine or not the link's fault.
FAILING = frozenset({Status.DEAD, Status.INVALID})


@dataclass(frozen=True, order=True)
class Source:
    """One occurrence of a URL: the file (relative to the repository) and its 1-based line."""

    file: str
    line: int


@dataclass
class Verdict:
    """What checking one URL (fragment included) concluded."""

    status: Status
    code: int | None = None
    final_url: str | None = None
    message: str = ""
    # The network never answered (DNS failure, refused, timeout): evidence of being offline.
    network_failure: bool = False


@dataclass
class LinkResult:
    url: str
    verdict: Verdict
    sources: list[Source] = field(default_factory=list)
    from_cache: bool = False

    @property
    def failing(self) -> bool:
        return self.verdict.status in FAILING
