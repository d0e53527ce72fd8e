"""The network part of a run: fetch every page concurrently, settle each link's verdict.

A run in which not a single host answers is declared offline instead of
calling every link dead; it stops early once enough distinct hosts have
failed without any answering.

Pages wait in one queue per host, served by as many workers as the host may
have requests in flight: the number of live tasks (and their memory) grows
with the hosts, not with the links, and no task is ever woken only to wait
on a busy host.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from linkcheck.classify import escalate, fragment_verdict, page_verdict
from linkcheck.config import Settings
from linkcheck.connector import Connector, idle_limit
from linkcheck.fetch import PageFetcher
from linkcheck.host_limiter import HostLimiter
from linkcheck.outcome import Failure, Outcome
from linkcheck.page import Page
from linkcheck.safe_resolver import Resolver, SafeResolver, SystemResolver
from linkcheck.safety import AddressRule
from linkcheck.verdict import Verdict

if TYPE_CHECKING:
    from linkcheck.cache import ResultCache

# Offline is declared early once this many distinct hosts failed and none answered.
OFFLINE_AFTER_HOSTS = 8


class _NetworkWatch:
    """Counts hosts that answered and hosts that never did, to tell offline from dead.

    Stopping early needs more than a run of failures: a page that lists dead domains
    first must not look offline, so any name resolved (seen by the resolver, before
    any answer arrives) rules it out. (A host whose connection was made and then timed
    out or reset is not counted as silent anyway.)"""

    def __init__(self, total_hosts: int) -> None:
        self.threshold = min(OFFLINE_AFTER_HOSTS, total_hosts)
        self.answered: set[str] = set()
        self.silent: set[str] = set()
        self.network_seen = False
        self.offline = asyncio.Event()

    def saw_network(self) -> None:
        self.network_seen = True

    def record(self, host: str, outcome: Outcome, verdict: Verdict) -> None:
        self.answered |= outcome.answered_hosts
        if verdict.network_failure:
            self.silent.add(host)
        if self.answered or self.network_seen:
            return
        if self.threshold and len(self.silent) >= self.threshold:
            self.offline.set()


async def check_pages(
    pages: dict[str, Page],
    settings: Settings,
    cache: ResultCache | None,
    resolver: Resolver | None,
    ssl: object,
    token: str | None,
    finish: Callable[..., None],
    now: Callable[[], float],
    is_public: AddressRule,
) -> tuple[bool, int]:
    deadline = time.monotonic() + settings.deadline
    watch = _NetworkWatch(len({p.host for p in pages.values()}))
    # Verdicts that may only mean "offline" are held back until the run shows it is online.
    held: list[tuple[str, Verdict]] = []

    settled: set[str] = set()

    def settle(page: Page, outcome: Outcome) -> None:
        settled.add(page.url)
        verdict = page_verdict(outcome, settings)
        watch.record(page.host, outcome, verdict)
        for url in page.links:
            link_verdict = verdict
            if url in page.fragments:
                link_verdict = fragment_verdict(
                    verdict,
                    outcome.anchors,
                    outcome.body_truncated,
                    page.fragments[url],
                    settings.max_body_bytes,
                )
            if verdict.network_failure and not watch.answered:
                held.append((url, link_verdict))
                finish(url, link_verdict)
                continue
            since = (
                cache.store(url, link_verdict, now())
                if cache and outcome.failure != Failure.DEADLINE
                else None
            )
            finish(url, escalate(link_verdict, since, now(), settings))

    connector = Connector(
        SafeResolver(
            resolver or SystemResolver(), settings.allow_local, is_public, on_resolved=watch.saw_network
        ),
        ssl=ssl,
        max_idle=idle_limit(settings.max_concurrency),
    )
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en",
        # What aiohttp asked for: bodies are only read for anchors, and then decompressed.
        "Accept-Encoding": "gzip, deflate",
    }
    limiter = HostLimiter(settings)
    queues: dict[str, deque[Page]] = {}
    for page in pages.values():
        queues.setdefault(page.host, deque()).append(page)
    all_settled = asyncio.Event()
    fetcher = PageFetcher(
        connector,
        settings,
        limiter,
        asyncio.Semaphore(max(1, settings.max_concurrency)),
        headers,
        token=token,
        deadline=deadline,
        is_public=is_public,
    )

    async def serve(queue: deque[Page]) -> None:
        while queue:
            page = queue.popleft()
            try:
                outcome = await fetcher.fetch(page.target, frozenset(page.fragments.values()))
            except Exception as error:
                outcome = Outcome(
                    page.url, failure=Failure.GARBAGE, message=f"{type(error).__name__}: {error}"
                )
            settle(page, outcome)
            if len(settled) == len(pages):
                all_settled.set()

    try:
        workers = [
            asyncio.ensure_future(serve(queue))
            for host, queue in queues.items()
            for _ in range(min(len(queue), limiter.concurrency(host)))
        ]
        # Two waits, not one per task: asyncio.wait over every task would cost O(tasks) per wake-up.
        ends = [asyncio.ensure_future(all_settled.wait()), asyncio.ensure_future(watch.offline.wait())]
        try:
            await asyncio.wait(
                ends, timeout=max(0.0, deadline - time.monotonic()), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (*ends, *workers):
                task.cancel()
            await asyncio.gather(*ends, *workers, return_exceptions=True)
    finally:
        await connector.close()
    if not watch.answered and watch.silent:
        return True, len(watch.silent)
    for page in pages.values():
        if page.url not in settled:
            settle(
                page,
                Outcome(page.url, failure=Failure.DEADLINE, message="not checked: the run's deadline passed"),
            )
    for url, verdict in held:
        since = cache.store(url, verdict, now()) if cache else None
        finish(url, escalate(verdict, since, now(), settings))
    return False, len(watch.answered | watch.silent)
