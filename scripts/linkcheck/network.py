"""The network part of a run: fetch every page concurrently, settle each link's verdict.

A run in which not a single host answers is declared offline instead of
calling every link dead; it stops early once enough distinct hosts have
failed without any answering.

Links arrive one file at a time, and requests start while later files are
still being parsed. Pages wait in one queue per host, served by as many
workers as the host may have requests in flight: the number of live tasks
(and their memory) grows with the hosts, not with the links, and no task is
ever woken only to wait on a busy host.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from linkcheck.anchors import checkable_fragment
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
    from yarl import URL

    from linkcheck.cache import ResultCache

# Offline is declared early once this many distinct hosts failed and none answered.
OFFLINE_AFTER_HOSTS = 8


class _NetworkWatch:
    """Counts hosts that answered and hosts that never did, to tell offline from dead.

    Stopping early needs more than a run of failures: a page that lists dead domains
    first must not look offline, so any name resolved (seen by the resolver, before
    any answer arrives) rules it out. (A host whose connection was made and then timed
    out or reset is not counted as silent anyway.)"""

    def __init__(self) -> None:
        # Until every host is known (the last file collected), as many as the rule ever asks.
        self.threshold = OFFLINE_AFTER_HOSTS
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
        self._judge()

    def all_hosts_known(self, hosts: int) -> None:
        """A run of fewer hosts than the rule counts is offline once all of them failed."""
        self.threshold = min(OFFLINE_AFTER_HOSTS, hosts)
        self._judge()

    def _judge(self) -> None:
        if self.answered or self.network_seen:
            return
        if self.threshold and len(self.silent) >= self.threshold:
            self.offline.set()


async def check_pages(
    arriving: AsyncIterator[list[tuple[str, URL]]],
    settings: Settings,
    cache: ResultCache | None,
    resolver: Resolver | None,
    ssl: object,
    token: str | None,
    finish: Callable[..., None],
    now: Callable[[], float],
    is_public: AddressRule,
) -> tuple[bool, int]:
    """Fetch the pages of the links `arriving` gives (each step: links and their parsed URLs),
    as they arrive: requests start while later files are still being parsed."""
    deadline = time.monotonic() + settings.deadline
    # What exists before the run (modules, settings: 20,000 objects) outlives it: the cyclic
    # collector need not scan it while answers wait (its first pauses took 17 ms at 2,000 links).
    # The caller unfreezes it all once the run's report is out (cli.main does): unfreezing here
    # let a full collection of every result (45 ms at 20,000 links) land before the report.
    gc.freeze()
    watch = _NetworkWatch()
    # Verdicts that may only mean "offline" are held back until the run shows it is online.
    held: list[tuple[str, Verdict]] = []
    pages: dict[str, Page] = {}

    def settle(page: Page, outcome: Outcome, links: list[str]) -> None:
        verdict = page_verdict(outcome, settings)
        watch.record(page.host, outcome, verdict)
        settle_links(page, outcome, verdict, links)

    def settle_links(page: Page, outcome: Outcome, verdict: Verdict, links: list[str]) -> None:
        for url in links:
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
    queues: dict[str, deque[Page]] = {}
    serving: dict[str, int] = {}  # host -> its workers
    workers: set[asyncio.Task] = set()
    all_settled = asyncio.Event()
    # Pages queued or being fetched; the run is over once none is and every file is collected.
    busy = 0
    collecting, stopped = True, False

    def enqueue(page: Page) -> None:
        nonlocal busy
        page.busy = True
        busy += 1
        queue = queues.setdefault(page.host, deque())
        queue.append(page)
        if not stopped and serving.get(page.host, 0) < limiter.concurrency(page.host):
            serving[page.host] = serving.get(page.host, 0) + 1
            worker = asyncio.ensure_future(serve(page.host, queue))
            workers.add(worker)
            worker.add_done_callback(workers.discard)

    def add(url: str, parsed: URL) -> None:
        target = parsed.with_fragment(None)
        page_url = str(target)
        page = pages.get(page_url)
        if page is None:
            page = pages[page_url] = Page(page_url, parsed.host or "", target)
        page.add(url, parsed.fragment if checkable_fragment(parsed.raw_fragment) else None)
        if page.busy:
            return  # the fetch under way (or the one after it, for a new fragment) settles it
        if page.answered_by_last_fetch(url):
            page.waiting.clear()
            assert page.outcome is not None
            settle_links(page, page.outcome, page_verdict(page.outcome, settings), [url])
        else:
            enqueue(page)

    def forget(page: Page) -> None:
        # Once every file is read, no link can arrive for a settled page: its outcome (anchors
        # and all) is not needed again. Memory then grows with the results, not with the pages.
        pages.pop(page.url, None)

    async def serve(host: str, queue: deque[Page]) -> None:
        # Workers per host, never more than it may have requests in flight: the number of live
        # tasks (and their memory) grows with the hosts, not with the links.
        nonlocal busy
        try:
            while queue:
                page = queue.popleft()
                # Which fragments to look for is decided now, when the request goes out: by then
                # later files may have added some.
                fragments = page.wanted_fragments()
                try:
                    outcome = await fetcher.fetch(page.target, fragments)
                except Exception as error:
                    outcome = Outcome(
                        page.url, failure=Failure.GARBAGE, message=f"{type(error).__name__}: {error}"
                    )
                plain_settled_earlier = page.outcome is not None and not page.looked_for
                page.outcome, page.looked_for = outcome, fragments
                done = [url for url in page.waiting if page.answered_by_last_fetch(url)]
                page.waiting = [url for url in page.waiting if not page.answered_by_last_fetch(url)]
                if fragments and plain_settled_earlier:
                    # The plain links were settled by a fetch that looked for no anchor (a HEAD,
                    # mostly); read all at once, they would have shared this GET: they take it.
                    done += [url for url in page.links if url not in page.fragments and url not in done]
                settle(page, outcome, done)
                if page.waiting:
                    # A link with a new fragment arrived while this fetch, which did not look for
                    # it, was under way: one more GET for its anchors.
                    queue.append(page)
                    continue
                page.busy = False
                busy -= 1
                if not collecting:
                    forget(page)
                    if not busy:
                        all_settled.set()
        finally:
            serving[host] -= 1

    async def collect() -> None:
        nonlocal collecting
        try:
            async for step in arriving:  # the next file parsed (the loop runs between two)
                for url, parsed in step:
                    add(url, parsed)
        except BaseException:
            all_settled.set()  # the run stops; the error is raised where the collector is awaited
            raise
        collecting = False
        # Likewise every page and URL made so far: most live until their links are settled (at
        # 20,000 links, scanning them again and again paused the loop for 110 ms in all). Frozen
        # objects are still freed as soon as nothing refers to them.
        gc.freeze()
        watch.all_hosts_known(len({page.host for page in pages.values()}))
        for page in [page for page in pages.values() if not page.busy]:
            forget(page)
        if not busy:
            all_settled.set()

    collector = asyncio.ensure_future(collect())
    try:
        ends = [asyncio.ensure_future(all_settled.wait()), asyncio.ensure_future(watch.offline.wait())]
        try:
            # Two waits, not one per task: asyncio.wait over every task would cost O(tasks) per wake-up.
            await asyncio.wait(
                ends, timeout=max(0.0, deadline - time.monotonic()), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stopped = True
            for task in (*ends, *workers):
                task.cancel()
            await asyncio.gather(*ends, *workers, return_exceptions=True)
        # Files not collected yet (the deadline passed, or the run is offline) are still read: their
        # links get a verdict below and their problems a line, as when every file was read first.
        await collector
    finally:
        collector.cancel()
        await connector.close()
    if not watch.answered and watch.silent:
        return True, len(watch.silent)
    for page in pages.values():
        if page.waiting:
            message = "not checked: the run's deadline passed"
            settle(page, Outcome(page.url, failure=Failure.DEADLINE, message=message), page.waiting)
            page.waiting = []
    for url, verdict in held:
        since = cache.store(url, verdict, now()) if cache else None
        finish(url, escalate(verdict, since, now(), settings))
    return False, len(watch.answered | watch.silent)
