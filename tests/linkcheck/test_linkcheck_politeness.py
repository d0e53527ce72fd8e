"""Politeness and limits: per-host concurrency and interval (global or per host), the run's deadline."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

from linkcheck.config import Settings
from linkcheck.host_limiter import HostLimiter
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)


def _links(web: Web, tag: str, count: int) -> tuple[list[str], str]:
    urls = [web.url("site.test", f"/slow?t={tag}&n={n}") for n in range(count)]
    return urls, "\n\n".join(f"[l{n}]({u})" for n, u in enumerate(urls))


def test_host_concurrency_caps_requests_in_flight(tmp_path: Path, loopback_web: Web) -> None:
    urls, markdown = _links(loopback_web, "cap2", 8)
    run = run_checker(tmp_path, markdown, "--allow-local", "--host-concurrency", "2")
    assert {run.status(u) for u in urls} == {"ok"}
    assert loopback_web.state.most_in_flight["cap2"] == 2


def test_a_host_table_overrides_the_global_politeness(tmp_path: Path, loopback_web: Web) -> None:
    urls, markdown = _links(loopback_web, "host1", 4)
    config = '[hosts."site.test"]\nconcurrency = 1\nrequest_interval = 0.15\n'
    run = run_checker(tmp_path, markdown, "--allow-local", "--host-concurrency", "8", config=config)
    assert {run.status(u) for u in urls} == {"ok"}
    assert loopback_web.state.most_in_flight["host1"] == 1
    starts = loopback_web.state.starts["host1"]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.14


def test_host_request_interval_spaces_request_starts(tmp_path: Path, loopback_web: Web) -> None:
    _, markdown = _links(loopback_web, "gap", 4)
    run_checker(tmp_path, markdown, "--allow-local", "--host-request-interval", "0.2")
    starts = sorted(loopback_web.state.starts["gap"])
    assert len(starts) == 4
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.19


def test_the_run_deadline_leaves_unchecked_links_unreachable(tmp_path: Path, loopback_web: Web) -> None:
    fast = loopback_web.url("site.test", "/ok?t=deadline")
    hanging = loopback_web.url("site.test", "/hang?t=deadline")
    run = run_checker(
        tmp_path, f"[a]({fast})\n\n[b]({hanging})\n", "--allow-local", "--timeout", "30", "--deadline", "0.5"
    )
    assert run.status(fast) == "ok"
    assert run.status(hanging) == "unreachable"
    assert "deadline" in run.link(hanging)["message"]
    assert run.code == 0


def test_the_interval_holds_when_requests_queue_for_the_global_slots() -> None:
    # Another host holds the only global slot while three requests to a.test pass their host
    # spacing and queue for it. When the slot frees up they must still start an interval apart,
    # not back to back. (Timed inside the limiter: a server's clock on this loaded machine
    # would add its own jitter to the gaps.)
    async def scenario() -> list[float]:
        limiter = HostLimiter(Settings(host_request_interval=0.05, host_concurrency=4))
        global_slots = asyncio.Semaphore(1)
        starts: list[float] = []

        async def request() -> None:
            async with limiter.slot("a.test", global_slots):
                starts.append(time.monotonic())

        await global_slots.acquire()
        requests = [asyncio.ensure_future(request()) for _ in range(3)]
        await asyncio.sleep(0.2)
        global_slots.release()
        await asyncio.gather(*requests)
        return starts

    starts = asyncio.run(scenario())
    assert len(starts) == 3
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.049


def test_a_starved_loop_does_not_let_overdue_requests_go_together() -> None:
    # The event loop is blocked while three requests wait for their turn on one host, so all
    # their timers are overdue when it runs again: they must still leave an interval apart.
    async def scenario() -> list[float]:
        limiter = HostLimiter(Settings(host_request_interval=0.05))
        releases: list[float] = []

        async def request() -> None:
            await limiter.before_send("a.test")
            releases.append(time.monotonic())

        requests = [asyncio.ensure_future(request()) for _ in range(3)]
        await asyncio.sleep(0.01)
        time.sleep(0.15)  # a busy machine, or a slow callback: nothing runs meanwhile
        await asyncio.gather(*requests)
        return releases

    releases = asyncio.run(scenario())
    assert min(b - a for a, b in itertools.pairwise(releases)) >= 0.049


def test_the_next_request_is_timed_from_when_the_last_one_was_written() -> None:
    async def scenario() -> float:
        limiter = HostLimiter(Settings(host_request_interval=0.05))
        await limiter.before_send("a.test")
        await asyncio.sleep(0.03)
        written = time.monotonic()
        limiter.sent("a.test")  # the first request reached the socket only now
        await limiter.before_send("a.test")
        return time.monotonic() - written

    assert asyncio.run(scenario()) >= 0.049
