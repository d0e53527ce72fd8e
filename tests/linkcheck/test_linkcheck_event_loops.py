"""Both event loops: uvloop where it is installed (the pinned default) for runs large enough to
gain from it, asyncio's own for small runs and where uvloop is not installed. The same hostile
pages get the same verdicts on each."""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
from pathlib import Path

import pytest
from linkcheck import event_loop
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)

# (scheme, host, path, expected verdict): a live page, a 503 that recovers, a 429 with
# Retry-After, a lying HEAD, a redirect loop, an endless body, an anchor present and one missing;
# on the wire: a chunked body, a gzipped one, a body cut short, a kept-alive connection dropped
# by the server, and garbage; and a page over TLS.
HOSTILE = [
    ("http", "site.test", "/ok?t=loops", "ok"),
    ("http", "site.test", "/flaky?t=loops", "ok"),
    ("http", "site.test", "/rate-limited?t=loops", "ok"),
    ("http", "site.test", "/head-lies?t=loops", "ok"),
    ("http", "site.test", "/loop/a?t=loops", "dead"),
    ("http", "site.test", "/endless?t=loops", "ok"),
    ("http", "site.test", "/anchors?t=loops#present", "ok"),
    ("http", "site.test", "/anchors?t=loops#absent", "dead"),
    ("http", "wire.test", "/wire/chunked?t=loops#here", "ok"),
    ("http", "wire.test", "/wire/gzip?t=loops#absent", "dead"),
    ("http", "wire.test", "/wire/truncated?t=loops#absent", "unreachable"),
    ("http", "wire.test", "/wire/one-per-connection?t=loops-1", "ok"),
    ("http", "wire.test", "/wire/one-per-connection?t=loops-2", "ok"),
    ("http", "broken.test", "/garbage?t=loops", "unreachable"),
    ("https", "github.com", "/auth/start?t=loops", "ok"),
]


async def _running_loop() -> type:
    return type(asyncio.get_running_loop())


def test_uvloop_is_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    uvloop = pytest.importorskip("uvloop")  # pinned in requirements.txt wherever it installs
    monkeypatch.delenv("LINKCHECK_EVENT_LOOP", raising=False)
    assert event_loop.loop_factory() is uvloop.new_event_loop
    assert event_loop.loop_factory(pages=event_loop.UVLOOP_FROM_PAGES) is uvloop.new_event_loop
    assert event_loop.run(_running_loop()) is uvloop.Loop


def test_a_run_of_a_few_pages_does_not_pay_for_importing_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvloop")
    monkeypatch.delenv("LINKCHECK_EVENT_LOOP", raising=False)
    assert event_loop.loop_factory(pages=1) is None
    assert event_loop.run(_running_loop(), pages=event_loop.UVLOOP_FROM_PAGES - 1).__module__.startswith(
        "asyncio"
    )


def test_the_environment_can_force_uvloop_for_a_few_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    uvloop = pytest.importorskip("uvloop")
    monkeypatch.setenv("LINKCHECK_EVENT_LOOP", "uvloop")
    assert event_loop.loop_factory(pages=1) is uvloop.new_event_loop


def test_asyncio_is_used_when_uvloop_cannot_be_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKCHECK_EVENT_LOOP", raising=False)
    monkeypatch.setitem(sys.modules, "uvloop", None)  # what an absent package looks like to import
    assert event_loop.loop_factory() is None
    assert event_loop.run(_running_loop()).__module__.startswith("asyncio")


def test_the_environment_can_force_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKCHECK_EVENT_LOOP", "asyncio")
    assert event_loop.loop_factory() is None
    assert event_loop.run(_running_loop()).__module__.startswith("asyncio")


@pytest.mark.parametrize("parser", ["inline", "child"])
@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_hostile_pages_get_the_same_verdicts_on_either_loop(
    loop: str, parser: str, tmp_path: Path, loopback_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loop == "uvloop":
        pytest.importorskip("uvloop")
    if parser == "child" and not hasattr(os, "fork"):
        pytest.skip("no os.fork here: files are always parsed in-process")
    monkeypatch.setenv("LINKCHECK_EVENT_LOOP", loop)
    # And with the files parsed here or in a forked child (parse_child.py).
    monkeypatch.setenv("LINKCHECK_PARSER", parser)
    # A query per loop and parser keeps the servers' per-URL state (the flaky 503, the 429) apart.
    urls = [
        loopback_web.url(host, path.replace("t=loops", f"t=loops-{loop}-{parser}"), scheme=scheme)
        for scheme, host, path, _ in HOSTILE
    ]
    markdown = "\n\n".join(f"[l{n}]({u})" for n, u in enumerate(urls))
    trusting = ssl.create_default_context(cafile=str(loopback_web.cert))
    run = run_checker(tmp_path, markdown, "--allow-local", "--max-retries", "3", ssl_context=trusting)
    assert [run.status(u) for u in urls] == [verdict for *_, verdict in HOSTILE], run.stdout
