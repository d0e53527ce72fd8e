"""The network part of a run: fetch every page concurrently, settle each link's verdict.

A run in which not a single host answers is declared offline instead of
calling every link dead; it stops early once enough distinct hosts have
failed without any answering.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver

from linkcheck.cache import ResultCache
from linkcheck.classify import escalate, fragment_verdict, page_verdict
from linkcheck.config import Settings
from linkcheck.fetch import PageFetcher
from linkcheck.host_limiter import HostLimiter
from linkcheck.outcome import Failure, Outcome
from linkcheck.page import Page
from linkcheck.safe_resolver import SafeResolver
from linkcheck.safety import AddressRule
from linkcheck.verdict import Verdict

# Offline is declared early once this many distinct hosts failed and none answered.
OFFLINE_AFTER_HOSTS = 8


class _NetworkWatch:
    """Counts hosts that answered and hosts that never did, to tell offline from dead.

    Stopping early needs more than a run of failures: a page that lists dead domains
    first must not look offline, so any name resolved or connection made (seen by
    aiohttp's tracing, before any answer arrives) rules it out."""

    def __init__(self, total_hosts: int) -> None:
        self.threshold = min(OFFLINE_AFTER_HOSTS, total_hosts)
        self.answered: set[str] = set()
        self.silent: set[str] = set()
        self.network_seen = False
        self.offline = asyncio.Event()

    async def saw_network(self, *_: object) -> None:
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
    resolver: AbstractResolver | None,
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

    connector = aiohttp.TCPConnector(
        limit=settings.max_concurrency,
        limit_per_host=0,
        resolver=SafeResolver(resolver or DefaultResolver(), settings.allow_local, is_public),
        ssl=ssl,
        ttl_dns_cache=300,
    )
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en",
    }
    tracing = aiohttp.TraceConfig()
    tracing.on_dns_resolvehost_end.append(watch.saw_network)
    tracing.on_connection_create_end.append(watch.saw_network)
    async with aiohttp.ClientSession(
        connector=connector, headers=headers, trace_configs=[tracing]
    ) as session:
        fetcher = PageFetcher(
            session,
            settings,
            HostLimiter(settings),
            asyncio.Semaphore(max(1, settings.max_concurrency)),
            token=token,
            deadline=deadline,
            is_public=is_public,
        )

        async def check(page: Page) -> None:
            outcome = await fetcher.fetch(page.url, frozenset(page.fragments.values()))
            settle(page, outcome)

        tasks = {asyncio.ensure_future(check(page)): page for page in pages.values()}
        offline_wait = asyncio.ensure_future(watch.offline.wait())
        try:
            pending = set(tasks)
            while pending and not watch.offline.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                _, pending = await asyncio.wait(
                    pending | {offline_wait}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                pending.discard(offline_wait)
        finally:
            offline_wait.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    if not watch.answered and watch.silent:
        return True, len(watch.silent)
    for task, page in tasks.items():
        if task.cancelled() and page.url not in settled:
            settle(
                page,
                Outcome(page.url, failure=Failure.DEADLINE, message="not checked: the run's deadline passed"),
            )
    for url, verdict in held:
        since = cache.store(url, verdict, now()) if cache else None
        finish(url, escalate(verdict, since, now(), settings))
    return False, len(watch.answered | watch.silent)
