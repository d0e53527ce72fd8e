"""One page to fetch: the links that differ only in their fragment share it, and
the fragments to look for in it. Built and fetched by `network`.

Links reach a page over the whole run (one file at a time): a link may arrive while its
page is waiting, being fetched, or already settled. `waiting` holds the links still
without a verdict; a fetch looks for the fragments of the links waiting when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yarl import URL

    from linkcheck.outcome import Outcome


@dataclass
class Page:
    url: str
    host: str
    # The URL as parsed once by `check` (without its fragment): what is fetched.
    target: URL
    links: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)  # link URL -> checkable fragment
    waiting: list[str] = field(default_factory=list)
    # Queued or being fetched: a link arriving now is settled by that fetch or the next.
    busy: bool = False
    # The last fetch: what it answered and the fragments it looked for (a link arriving later
    # takes this outcome unless its fragment was not among them).
    outcome: Outcome | None = None
    looked_for: frozenset[str] = frozenset()

    def add(self, url: str, fragment: str | None) -> None:
        self.links.append(url)
        self.waiting.append(url)
        if fragment is not None:
            self.fragments[url] = fragment

    def answered_by_last_fetch(self, url: str) -> bool:
        """Whether the last fetch can settle `url`: it was made, and looked for the link's fragment."""
        return self.outcome is not None and (
            url not in self.fragments or self.fragments[url] in self.looked_for
        )

    def wanted_fragments(self) -> frozenset[str]:
        """The fragments a fetch starting now looks for: those of the links waiting."""
        return frozenset(self.fragments[url] for url in self.waiting if url in self.fragments)
