"""Check collected URLs: invalid, excluded and fresh cached verdicts first, then the
network (network.py) for the rest, one fetch per page (page.py): links that differ
only in their fragment share one fetch."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yarl import URL

from linkcheck.anchors import checkable_fragment
from linkcheck.config import Settings
from linkcheck.page import Page
from linkcheck.safety import AddressRule, is_public_address, refusal
from linkcheck.verdict import LinkResult, Source, Status, Verdict

if TYPE_CHECKING:
    from linkcheck.cache import ResultCache
    from linkcheck.safe_resolver import Resolver


@dataclass
class RunResult:
    links: list[LinkResult]
    offline: bool = False
    hosts_tried: int = 0
    checked: int = 0
    from_cache: int = 0


# The same characters as str.isspace (both use Unicode's White_Space property), in one C call.
_WHITE_SPACE = re.compile(r"\s")


def parse_link(url: str) -> tuple[URL | None, str]:
    """The parsed URL, or None and why it is malformed."""
    if _WHITE_SPACE.search(url):
        return None, "malformed URL (contains white space)"
    try:
        parsed = URL(url)
        port = parsed.port
    except (ValueError, TypeError) as error:
        return None, f"malformed URL ({error})"
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None, "malformed URL (no host)"
    if port is not None and not 0 < port < 65536:
        return None, "malformed URL (bad port)"
    return parsed, ""


def check_links(
    urls: dict[str, list[Source]],
    settings: Settings,
    *,
    cache: ResultCache | None = None,
    resolver: Resolver | None = None,
    ssl: object = True,
    token: str | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    now: Callable[[], float] = time.time,
    is_public: AddressRule = is_public_address,
) -> RunResult:
    results: dict[str, LinkResult] = {}
    pages: dict[str, Page] = {}
    started = now()

    def finish(url: str, verdict: Verdict, cached: bool = False) -> None:
        # A held-back verdict is finished twice (when known, then when settled): notify once.
        first = url not in results
        result = results[url] = LinkResult(url, verdict, urls[url], from_cache=cached)
        if on_result and first:
            on_result(result)

    for url in urls:
        parsed, problem = parse_link(url)
        if parsed is None:
            finish(url, Verdict(Status.INVALID, message=problem))
            continue
        if settings.excluded(url):
            finish(url, Verdict(Status.EXCLUDED, message="excluded by configuration"))
            continue
        if reason := refusal(parsed, settings.allow_local, is_public):
            finish(url, Verdict(Status.EXCLUDED, message=reason))
            continue
        if cache and (verdict := cache.fresh(url, started, settings.max_age)):
            finish(url, verdict, cached=True)
            continue
        target = parsed.with_fragment(None)
        page_url = str(target)
        page = pages.get(page_url)
        if page is None:
            page = pages[page_url] = Page(page_url, parsed.host or "", target)
        page.links.append(url)
        if checkable_fragment(parsed.raw_fragment):
            page.fragments[url] = parsed.fragment

    run = RunResult(links=[], from_cache=sum(r.from_cache for r in results.values()))
    if pages:
        # Imported here: a run answered entirely from the cache never loads the HTTP client or asyncio.
        from linkcheck.event_loop import run as run_loop
        from linkcheck.network import check_pages

        run.offline, run.hosts_tried = run_loop(
            check_pages(pages, settings, cache, resolver, ssl, token, finish, now, is_public),
            pages=len(pages),
        )
        run.checked = sum(len(p.links) for p in pages.values())
    run.links = [results[url] for url in urls if url in results]
    return run
