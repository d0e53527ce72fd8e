"""The HTTP client on the wire: bodies chunked, compressed or ended by a close, interim answers,
bodies cut short, compressed bombs, oversized heads, kept-alive connections (and a server that
drops one), TLS, and the system resolver. Each gets the verdict aiohttp gave it before, but for
a HEAD answer that carries a body, which aiohttp read as garbage."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from linkcheck.connector import Connector, idle_limit
from linkcheck.fetch import request_head
from linkcheck.http_connection import DRAIN, HttpConnection
from linkcheck.safe_resolver import SafeResolver, SystemResolver
from loopback_servers import (  # noqa: F401 (the loopback_web fixture)
    HOSTS,
    MappingResolver,
    Web,
    loopback_web_fixture,
    run_checker,
)
from yarl import URL

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def check_wire(tmp_path: Path, web: Web, *paths: str, args: tuple[str, ...] = (), config: str = ""):
    urls = [web.url("wire.test", p) for p in paths]
    markdown = "\n\n".join(f"- [link {i}]({u})" for i, u in enumerate(urls))
    return urls, run_checker(tmp_path, markdown, "--allow-local", *args, config=config)


@pytest.mark.parametrize(
    "path", ["chunked", "gzip", "zlib", "raw-deflate", "http10", "continue"], ids=lambda p: p
)
def test_anchors_are_read_through_every_framing_and_encoding(
    path: str, tmp_path: Path, loopback_web: Web
) -> None:
    urls, run = check_wire(
        tmp_path,
        loopback_web,
        f"/wire/{path}?t=anchors-{path}#here",
        f"/wire/{path}?t=anchors-{path}#absent",
        f"/wire/{path}?t=plain-{path}",
    )
    assert [run.status(u) for u in urls] == ["ok", "dead", "ok"], run.stdout
    assert run.link(urls[1])["message"] == "missing anchor #absent"
    assert loopback_web.state.hits[f"/wire/{path}?t=anchors-{path}"] == 1  # both fragments, one GET


def test_a_body_cut_short_is_unreadable_unless_the_anchor_came_first(
    tmp_path: Path, loopback_web: Web
) -> None:
    urls, run = check_wire(
        tmp_path, loopback_web, "/wire/truncated?t=cut#here", "/wire/truncated?t=cut2#absent"
    )
    assert [run.status(u) for u in urls] == ["ok", "unreachable"]
    assert run.link(urls[1])["message"].startswith("unreadable reply")


def test_a_compressed_bomb_is_read_only_up_to_the_limit(tmp_path: Path, loopback_web: Web) -> None:
    # 8 MiB once decompressed: reading stops at 1 MiB of decompressed bytes.
    [url], run = check_wire(
        tmp_path, loopback_web, "/wire/bomb?t=bomb#here", config="max_body_bytes = 1048576\n"
    )
    assert (run.status(url), run.link(url)["message"]) == ("dead", "missing anchor #here in the first 1 MiB")


def test_an_oversized_response_head_is_unreadable(tmp_path: Path, loopback_web: Web) -> None:
    [url], run = check_wire(tmp_path, loopback_web, "/wire/huge-head?t=huge")
    assert run.status(url) == "unreachable"
    assert run.link(url)["message"].startswith("unreadable reply")


def test_requests_to_one_host_share_kept_alive_connections(tmp_path: Path, loopback_web: Web) -> None:
    paths = [f"/wire/chunked?t=reuse-{n}" for n in range(12)]
    urls, run = check_wire(tmp_path, loopback_web, *paths, args=("--host-concurrency", "2"))
    assert {run.status(u) for u in urls} == {"ok"}
    opened = sum(n for tag, n in loopback_web.state.connections.items() if tag.startswith("reuse-"))
    assert 1 <= opened <= 2


def test_a_kept_alive_connection_the_server_dropped_is_replaced_unseen(
    tmp_path: Path, loopback_web: Web
) -> None:
    # One request at a time on the host: each next request goes out on the connection kept from
    # the last, which the server drops unanswered. It is sent again on a new connection, at once,
    # without counting as a retry of the link.
    paths = [f"/wire/one-per-connection?t=drop-{n}" for n in range(3)]
    urls, run = check_wire(tmp_path, loopback_web, *paths, args=("--host-concurrency", "1"))
    assert [(run.status(u), run.link(u)["message"]) for u in urls] == [("ok", "")] * 3
    hits = loopback_web.state.hits
    assert [hits[p] for p in paths] == [1, 2, 2]  # the first on a new connection; the others sent twice


def test_a_body_sent_with_a_head_answer_does_not_spoil_the_next_request(
    tmp_path: Path, loopback_web: Web
) -> None:
    # The connection is dropped rather than used again: its next bytes are the stray body.
    urls, run = check_wire(
        tmp_path,
        loopback_web,
        "/wire/head-with-body?t=hb",
        "/wire/chunked?t=after-hb",
        args=("--host-concurrency", "1"),
    )
    assert [run.status(u) for u in urls] == ["ok", "ok"], run.stdout


@pytest.mark.parametrize(
    ("scheme", "host", "status", "message"),
    [
        ("https", "github.com", "dead", "certificate verify failed"),  # self-signed, not trusted
        ("https", "site.test", "dead", "cannot connect"),  # TLS to a plain HTTP server
        ("http", "github.com", "unreachable", "connection reset by the server"),  # plain to a TLS one
    ],
)
def test_tls_failures_get_the_verdicts_they_had(
    scheme: str, host: str, status: str, message: str, tmp_path: Path, loopback_web: Web
) -> None:
    url = loopback_web.url(host, f"/ok?t=tls-{scheme}-{host}", scheme=scheme)
    good = loopback_web.url("site.test", f"/ok?t=tls-good-{scheme}-{host}")  # the run is not offline
    run = run_checker(tmp_path, f"[a]({url})\n\n[b]({good})\n", "--allow-local", "--max-retries", "0")
    assert run.status(url) == status
    assert message in run.link(url)["message"]


def test_the_system_resolver_finds_localhost() -> None:
    results = asyncio.run(SystemResolver().resolve("localhost", 8080))
    assert results
    assert {r["port"] for r in results} == {8080}
    assert {r["family"] for r in results} <= {socket.AF_INET, socket.AF_INET6}
    assert all(r["host"] in ("127.0.0.1", "::1") for r in results)


def test_kept_alive_connections_beyond_the_limit_are_closed_longest_idle_first(loopback_web: Web) -> None:
    async def scenario() -> tuple[int, list[bool], HttpConnection | None, list[HttpConnection]]:
        connector = Connector(SafeResolver(MappingResolver(HOSTS), allow_local=True), max_idle=2)
        url = URL(loopback_web.url("wire.test", "/wire/chunked?t=idle-limit"))
        connections = [await connector.connect(url) for _ in range(3)]
        for connection in connections:
            head = await connection.request(request_head("HEAD", url, ""), True, lambda _: DRAIN)
            assert head.status == 200
            connector.release(connection)
        await asyncio.sleep(0)  # let the transport of the one dropped close
        kept, closing = connector.idle_count, [c.transport.is_closing() for c in connections]
        reused = connector.idle(url)
        await connector.close()
        return kept, closing, reused, connections

    kept, closing, reused, connections = asyncio.run(scenario())
    assert kept == 2
    assert closing == [True, False, False]
    assert reused is connections[2]  # the one used last


def test_the_idle_limit_leaves_file_descriptors_for_the_requests_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda _: (256, resource.RLIM_INFINITY))
    assert idle_limit(128) == 64  # macOS's default: 256 descriptors
    monkeypatch.setattr(resource, "getrlimit", lambda _: (150, 150))
    assert idle_limit(128) == 0


class _LateFailingResolver(MappingResolver):
    """Known names resolve at once; slow.test fails, but only after its request has timed out."""

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        if host == "slow.test":
            await asyncio.sleep(0.3)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known: slow.test")
        return await super().resolve(host, port, family)


def test_a_look_up_that_fails_after_its_request_gave_up_is_quiet() -> None:
    # Requests to one host share its look-up; when all of them have timed out and it fails
    # afterwards, nobody is left to take its error, which asyncio would report as never retrieved.
    async def scenario() -> list[dict]:
        reported: list[dict] = []
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(context))
        connector = Connector(SafeResolver(_LateFailingResolver(HOSTS), allow_local=True))
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await connector.connect(URL("http://slow.test/page"))
        await asyncio.sleep(0.4)  # the look-up fails meanwhile
        gc.collect()  # an error never retrieved is reported when its task is collected
        await connector.close()
        return reported

    assert asyncio.run(scenario()) == []


def test_a_run_on_plain_links_loads_only_what_it_needs(tmp_path: Path, loopback_web: Web) -> None:
    # Start-up counts (pre-commit checks one changed file): what only some runs need is imported
    # where it is used. A plain link answered at once needs no HTML parser (anchors), no Happy
    # Eyeballs (one address), no SQLite (--no-cache), no retry machinery, no uvloop (one page),
    # and no aiohttp at all.
    port = loopback_web.ports["127.0.0.2"]
    note = tmp_path / "note.md"
    note.write_text(f"[a](http://127.0.0.2:{port}/ok?t=imports)\n", encoding="utf-8")
    code = (
        "import sys; from linkcheck.cli import main; code = main(sys.argv[1:]); "
        "print(' '.join(sorted(sys.modules)), file=sys.stderr); sys.exit(code)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(note), "--allow-local", "--no-cache", "--no-progress"],
        cwd=SCRIPTS,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "LINKCHECK_EVENT_LOOP"},  # the loop by size
    )
    assert completed.returncode == 0, completed.stderr
    loaded = set(completed.stderr.split())
    assert "httptools" in loaded  # the run did go to the network
    unneeded = {
        "aiohttp",
        "h11",
        "html.parser",
        "aiohappyeyeballs",
        "sqlite3",
        "email.utils",
        "random",
        "rich",
        "uvloop",
    }
    if hasattr(os, "fork"):
        # The Markdown was parsed in a forked child (parse_child.py): this process never loads it.
        unneeded |= {"markdown_it", "linkify_it", "mdit_py_plugins"}
    assert loaded & unneeded == set()


# Each case on both parsers: llhttp (httptools) and the pure-Python fallback (h11).
PARSER_CASES = [
    ("site.test", "/ok"),
    ("site.test", "/notfound"),
    ("site.test", "/head-lies"),
    ("site.test", "/moved"),
    ("site.test", "/loop/a"),
    ("site.test", "/always429"),
    ("site.test", "/endless#nowhere"),
    ("site.test", "/anchors#present"),
    ("site.test", "/anchors#absent"),
    ("broken.test", "/garbage"),
    ("broken.test", "/reset"),
    ("wire.test", "/wire/chunked#here"),
    ("wire.test", "/wire/gzip#absent"),
    ("wire.test", "/wire/http10#here"),
    ("wire.test", "/wire/continue"),
    ("wire.test", "/wire/truncated#absent"),
    ("wire.test", "/wire/head-with-body"),
    ("wire.test", "/wire/one-per-connection"),
    ("wire.test", "/wire/huge-head"),
]


def _verdicts(folder: Path, web: Web, tag: str) -> list[tuple[str, int | None]]:
    folder.mkdir()
    urls = []
    for host, path in PARSER_CASES:
        page, _, fragment = path.partition("#")
        urls.append(web.url(host, f"{page}?t=parser-{tag}" + (f"#{fragment}" if fragment else "")))
    markdown = "\n\n".join(f"[l{n}]({u})" for n, u in enumerate(urls))
    run = run_checker(
        folder,
        markdown,
        "--allow-local",
        "--max-retries",
        "1",
        "--host-concurrency",
        "1",
        config="max_body_bytes = 300000\n",  # the endless body: enough to tell, no more
    )
    return [(run.status(u), run.link(u)["code"]) for u in urls]


def test_the_pure_python_parser_gives_the_same_verdicts(
    tmp_path: Path, loopback_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linkcheck import h11_parser, http_connection

    with_llhttp = _verdicts(tmp_path / "llhttp", loopback_web, "llhttp")
    for name in ("HttpResponseParser", "HttpParserError", "HttpParserUpgrade"):
        monkeypatch.setattr(http_connection, name, getattr(h11_parser, name))
    with_h11 = _verdicts(tmp_path / "h11", loopback_web, "h11")
    assert with_h11 == with_llhttp
    assert with_llhttp[0] == ("ok", 200)  # (the cases did reach the servers)


def test_without_httptools_the_pure_python_parser_is_used() -> None:
    code = (
        "import sys; sys.modules['httptools'] = None; "
        "from linkcheck import http_connection; print(http_connection.HttpResponseParser.__module__)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=SCRIPTS, capture_output=True, text=True, timeout=60
    )
    assert completed.stdout.strip() == "linkcheck.h11_parser", completed.stderr
