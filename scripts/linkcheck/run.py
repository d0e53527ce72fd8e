"""Check collected URLs: cached verdicts first, then the network, one fetch per page.

Links that differ only in their fragment share one fetch. A run in which not a
single host answers is declared offline instead of calling every link dead;
it stops early once enough distinct hosts have failed without any answering.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver
from yarl import URL

from linkcheck.anchors import checkable_fragment
from linkcheck.cache import ResultCache
from linkcheck.classify import fragment_verdict, page_verdict
from linkcheck.config import Settings
from linkcheck.fetch import Failure, Outcome, PageFetcher
from linkcheck.host_limiter import HostLimiter
from linkcheck.safety import AddressRule, SafeResolver, is_public_address, refusal
from linkcheck.verdict import LinkResult, Source, Status, Verdict

# Offline is declared early once this many distinct hosts failed and none answered.
OFFLINE_AFTER_HOSTS = 8


@dataclass
class RunResult:
    links: list[LinkResult]
    offline: bool = False
    hosts_tried: int = 0
    checked: int = 0
    from_cache: int = 0


@dataclass
class _Page:
    url: str
    host: str
    links: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)  # link URL -> checkable fragment


def parse_link(url: str) -> tuple[URL | None, str]:
    """The parsed URL, or None and why it is malformed."""
    if any(c.isspace() for c in url):
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


class _NetworkWatch:
    """Counts hosts that answered and hosts that never did, to tell offline from dead."""

    def __init__(self, total_hosts: int) -> None:
        self.threshold = min(OFFLINE_AFTER_HOSTS, total_hosts)
        self.answered: set[str] = set()
        self.silent: set[str] = set()
        self.offline = asyncio.Event()

    def record(self, host: str, outcome: Outcome, verdict: Verdict) -> None:
        self.answered |= outcome.answered_hosts
        if verdict.network_failure:
            self.silent.add(host)
        if not self.answered and self.threshold and len(self.silent) >= self.threshold:
            self.offline.set()


def escalate(verdict: Verdict, unreachable_since: float | None, now: float, settings: Settings) -> Verdict:
    """Unreachable in every run for at least `escalate_after`: no longer a passing glitch."""
    if verdict.status is not Status.UNREACHABLE or unreachable_since is None:
        return verdict
    if now - unreachable_since < settings.escalate_after:
        return verdict
    since = datetime.fromtimestamp(unreachable_since, UTC).strftime("%Y-%m-%d")
    message = f"{verdict.message}; unreachable in every run since {since}"
    return Verdict(Status.DEAD, verdict.code, verdict.final_url, message)


async def check_links(
    urls: dict[str, list[Source]],
    settings: Settings,
    *,
    cache: ResultCache | None = None,
    resolver: AbstractResolver | None = None,
    ssl: object = True,
    token: str | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
    now: Callable[[], float] = time.time,
    is_public: AddressRule = is_public_address,
) -> RunResult:
    results: dict[str, LinkResult] = {}
    pages: dict[str, _Page] = {}
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
        page_url = str(parsed.with_fragment(None))
        page = pages.setdefault(page_url, _Page(page_url, parsed.host or ""))
        page.links.append(url)
        if checkable_fragment(parsed.raw_fragment):
            page.fragments[url] = parsed.fragment

    run = RunResult(links=[], from_cache=sum(r.from_cache for r in results.values()))
    if pages:
        run.offline, run.hosts_tried = await _check_pages(
            pages, settings, cache, resolver, ssl, token, finish, now, is_public
        )
        run.checked = sum(len(p.links) for p in pages.values())
    run.links = [results[url] for url in urls if url in results]
    return run


async def _check_pages(
    pages: dict[str, _Page],
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

    def settle(page: _Page, outcome: Outcome) -> None:
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
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        fetcher = PageFetcher(
            session,
            settings,
            HostLimiter(settings),
            asyncio.Semaphore(max(1, settings.max_concurrency)),
            token=token,
            deadline=deadline,
            is_public=is_public,
        )

        async def check(page: _Page) -> None:
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
