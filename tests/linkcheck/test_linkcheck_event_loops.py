"""Both event loops: uvloop where it is installed (the pinned default), asyncio's own where it is
not. The same hostile pages get the same verdicts on each."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from linkcheck import event_loop
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)

# (host, path, expected verdict): a live page, a 503 that recovers, a 429 with Retry-After,
# a lying HEAD, a redirect loop, an endless body, an anchor present and one missing; and on the
# wire: a chunked body, a gzipped one, a body cut short, a kept-alive connection dropped by the
# server, and garbage.
HOSTILE = [
    ("site.test", "/ok?t=loops", "ok"),
    ("site.test", "/flaky?t=loops", "ok"),
    ("site.test", "/rate-limited?t=loops", "ok"),
    ("site.test", "/head-lies?t=loops", "ok"),
    ("site.test", "/loop/a?t=loops", "dead"),
    ("site.test", "/endless?t=loops", "ok"),
    ("site.test", "/anchors?t=loops#present", "ok"),
    ("site.test", "/anchors?t=loops#absent", "dead"),
    ("wire.test", "/wire/chunked?t=loops#here", "ok"),
    ("wire.test", "/wire/gzip?t=loops#absent", "dead"),
    ("wire.test", "/wire/truncated?t=loops#absent", "unreachable"),
    ("wire.test", "/wire/one-per-connection?t=loops-1", "ok"),
    ("wire.test", "/wire/one-per-connection?t=loops-2", "ok"),
    ("broken.test", "/garbage?t=loops", "unreachable"),
]


async def _running_loop() -> type:
    return type(asyncio.get_running_loop())


def test_uvloop_is_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    uvloop = pytest.importorskip("uvloop")  # pinned in requirements.txt wherever it installs
    monkeypatch.delenv("LINKCHECK_EVENT_LOOP", raising=False)
    assert event_loop.loop_factory() is uvloop.new_event_loop
    assert event_loop.run(_running_loop()) is uvloop.Loop


def test_asyncio_is_used_when_uvloop_cannot_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKCHECK_EVENT_LOOP", raising=False)
    monkeypatch.setitem(sys.modules, "uvloop", None)  # what an absent package looks like to import
    assert event_loop.loop_factory() is None
    assert event_loop.run(_running_loop()).__module__.startswith("asyncio")


def test_the_environment_can_force_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKCHECK_EVENT_LOOP", "asyncio")
    assert event_loop.loop_factory() is None
    assert event_loop.run(_running_loop()).__module__.startswith("asyncio")


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_hostile_pages_get_the_same_verdicts_on_either_loop(
    loop: str, tmp_path: Path, loopback_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loop == "uvloop":
        pytest.importorskip("uvloop")
    monkeypatch.setenv("LINKCHECK_EVENT_LOOP", loop)
    # A query per loop keeps the servers' per-URL state (the flaky 503, the 429) apart.
    urls = [loopback_web.url(host, path.replace("t=loops", f"t=loops-{loop}")) for host, path, _ in HOSTILE]
    markdown = "\n\n".join(f"[l{n}]({u})" for n, u in enumerate(urls))
    run = run_checker(tmp_path, markdown, "--allow-local", "--max-retries", "3")
    assert [run.status(u) for u in urls] == [verdict for _, _, verdict in HOSTILE], run.stdout
