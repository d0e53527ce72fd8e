"""Politeness and limits: per-host concurrency and interval (global or per host), the run's deadline."""

from __future__ import annotations

import itertools
from pathlib import Path

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


def test_the_interval_holds_when_requests_queue_for_the_global_slots(
    tmp_path: Path, loopback_web: Web
) -> None:
    # Two slow requests to another host take both global slots; the paced host's requests pass
    # their spacing meanwhile and queue. When both slots free up at once, they must still not
    # reach the host back to back.
    hold = [loopback_web.url("other.test", f"/slow?t=hold&n={n}") for n in range(2)]
    paced, _ = _links(loopback_web, "queued", 4)
    markdown = "\n\n".join(f"[l{n}]({u})" for n, u in enumerate([*hold, *paced]))
    config = '[hosts."site.test"]\nconcurrency = 4\nrequest_interval = 0.05\n'
    run = run_checker(tmp_path, markdown, "--allow-local", "--max-concurrency", "2", config=config)
    assert {run.status(u) for u in [*hold, *paced]} == {"ok"}
    starts = sorted(loopback_web.state.starts["queued"])
    assert len(starts) == 4
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.04
