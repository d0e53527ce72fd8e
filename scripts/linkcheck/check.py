"""Check collected URLs: invalid, excluded and fresh cached verdicts first, then the
network (network.py) for the rest, which groups them by page (page.py): links that
differ only in their fragment share one fetch. URLs may arrive in steps (one file at
a time) while earlier ones are already being fetched."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yarl import URL

from linkcheck.config import Settings
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


# Links taken from a parsed file between two turns of the event loop (see check_links).
SLICE = 32

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
    steps: Iterable[list[str]] | AsyncIterable[list[str]] | None = None,
    on_collected: Callable[[], None] | None = None,
    pages_hint: int | None = None,
    cache: ResultCache | None = None,
    resolver: Resolver | None = None,
    ssl: object = True,
    token: str | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    now: Callable[[], float] = time.time,
    is_public: AddressRule = is_public_address,
) -> RunResult:
    """Check every URL in `urls`. With `steps` (a pipeline: each step fills `urls` further and
    gives the URLs it added; synchronous, or asynchronous when parsed in another process),
    requests start while later steps are still being collected;
    `on_collected` is called once every step is taken. `pages_hint` sizes the run before
    all its pages are known (the event loop is chosen by it)."""
    results: dict[str, LinkResult] = {}
    started = now()
    run = RunResult(links=[])

    def finish(url: str, verdict: Verdict, cached: bool = False) -> None:
        # A held-back verdict is finished twice (when known, then when settled): notify once.
        # `urls[url]` is the list a later step still appends its places to.
        first = url not in results
        result = results[url] = LinkResult(url, verdict, urls[url], from_cache=cached)
        if on_result and first:
            on_result(result)

    def to_fetch(step: list[str]) -> list[tuple[str, URL]]:
        """The URLs of one step that need the network; the others are finished here."""
        fetched = []
        for url in step:
            parsed, problem = parse_link(url)
            if parsed is None:
                finish(url, Verdict(Status.INVALID, message=problem))
            elif settings.excluded(url):
                finish(url, Verdict(Status.EXCLUDED, message="excluded by configuration"))
            elif reason := refusal(parsed, settings.allow_local, is_public):
                finish(url, Verdict(Status.EXCLUDED, message=reason))
            elif cache and (verdict := cache.fresh(url, started, settings.max_age)):
                run.from_cache += 1
                finish(url, verdict, cached=True)
            else:
                fetched.append((url, parsed))
        run.checked += len(fetched)
        return fetched

    def network(arriving: AsyncIterator[list[tuple[str, URL]]], pages: int) -> None:
        # Imported here: a run answered entirely from the cache never loads the HTTP client or asyncio.
        from linkcheck.event_loop import run as run_loop
        from linkcheck.network import check_pages

        run.offline, run.hosts_tried = run_loop(
            check_pages(arriving, settings, cache, resolver, ssl, token, finish, now, is_public),
            pages=pages,
        )

    async def arriving(
        steps: AsyncIterable[list[str]], first: list[tuple[str, URL]] | None = None
    ) -> AsyncIterator[list[tuple[str, URL]]]:
        import asyncio

        if first:
            yield first
        async for step in steps:
            # A slice at a time, the loop running between two: a file of many links would
            # otherwise hold answers up while all of them are parsed as URLs and queued.
            for start in range(0, len(step), SLICE):
                if start:
                    await asyncio.sleep(0)
                yield to_fetch(step[start : start + SLICE])
        if on_collected:
            on_collected()

    if isinstance(steps, AsyncIterable):
        # Parsed elsewhere as the steps arrive (parse_child.py): the network is set up meanwhile.
        network(arriving(steps), pages_hint if pages_hint is not None else len(urls))
    else:
        pending = iter(steps if steps is not None else [list(urls)])
        # Steps are taken here until one needs the network, for the reason given in `network`.
        for step in pending:
            if first := to_fetch(step):
                pages = len({u.with_fragment(None) for _, u in first}) if pages_hint is None else pages_hint
                network(arriving(_one_per_turn(pending), first), pages)
                break
        else:
            if on_collected:
                on_collected()
    run.links = [results[url] for url in urls if url in results]
    return run


async def _one_per_turn(steps: Iterator[list[str]]) -> AsyncIterator[list[str]]:
    """Steps taken (files parsed) in this process: the next once the loop has run since the last."""
    import asyncio

    for step in steps:
        await asyncio.sleep(0)
        yield step
