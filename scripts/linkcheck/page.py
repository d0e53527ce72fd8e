"""One page to fetch: the links that differ only in their fragment share it, and
the fragments to look for in it. Built by `check`, fetched by `network`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yarl import URL


@dataclass
class Page:
    url: str
    host: str
    # The URL as parsed once by `check` (without its fragment): what is fetched.
    target: URL
    links: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)  # link URL -> checkable fragment
