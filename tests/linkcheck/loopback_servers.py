"""Loopback web servers standing in for the web (the `loopback_web` fixture, which each test
module imports), and a way to run the checker against them. Not a conftest.py: a second
module named `conftest` would shadow tests/conftest.py for the rest of the suite.

Every name the checker looks up goes through `MappingResolver`, which maps the
test host names to 127.0.0.x addresses, so host names are exercised while no
real DNS look-up is made and all traffic stays on this machine. One loopback
address, 127.0.0.2, stands in for the public internet in the safety tests.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from linkcheck.cli import main

PUBLIC = "127.0.0.2"  # "the internet"
INTERNAL = "127.0.0.3"  # an internal service a pull request must not reach
RAW = "127.0.0.4"  # a broken server: resets, garbage
TLS = "127.0.0.5"  # HTTPS, for GitHub token scoping

HOSTS = {
    "site.test": PUBLIC,
    "other.test": PUBLIC,
    "internal.test": INTERNAL,
    "broken.test": RAW,
    "github.com": TLS,
    "elsewhere.test": TLS,
}


class MappingResolver(AbstractResolver):
    """Resolves the test host names to loopback addresses; any other name does not exist."""

    def __init__(self, hosts: dict[str, str]) -> None:
        self.hosts = hosts

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        if host not in self.hosts:
            raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")
        return [
            ResolveResult(
                hostname=host, host=self.hosts[host], port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        pass


class FailingResolver(MappingResolver):
    """No name resolves: the machine is offline."""

    def __init__(self) -> None:
        super().__init__({})


def only_public(address: str) -> bool:
    """The safety rule's view in these tests: only PUBLIC is on the internet."""
    return address == PUBLIC


PAGE = """<!doctype html><html><head><title>t</title></head><body>
<h2 id="present">Present</h2><a name="named-anchor"></a><p>text</p></body></html>"""


@dataclass
class WebState:
    hits: Counter = field(default_factory=Counter)
    authorization: dict[str, str | None] = field(default_factory=dict)
    methods: list[tuple[str, str]] = field(default_factory=list)
    # /slow: requests in flight now, the most ever seen per test tag, and start times.
    in_flight: Counter = field(default_factory=Counter)
    most_in_flight: Counter = field(default_factory=Counter)
    starts: dict[str, list[float]] = field(default_factory=dict)


def _app(state: WebState) -> web.Application:
    async def count(request: web.Request) -> None:
        state.hits[request.path_qs] += 1
        state.methods.append((request.method, request.path))

    async def html(request: web.Request, status: int = 200, **headers: str) -> web.Response:
        await count(request)
        return web.Response(text=PAGE, status=status, content_type="text/html", headers=headers)

    async def ok(request: web.Request) -> web.Response:
        return await html(request)

    def status(code: int, **headers: str):
        async def handler(request: web.Request) -> web.Response:
            return await html(request, code, **headers)

        return handler

    async def flaky(request: web.Request) -> web.Response:
        # 503 on the first request for each path, then fine.
        await count(request)
        if state.hits[request.path_qs] == 1:
            return web.Response(status=503)
        return web.Response(text=PAGE, content_type="text/html")

    async def rate_limited(request: web.Request) -> web.Response:
        await count(request)
        if state.hits[request.path_qs] == 1:
            return web.Response(status=429, headers={"Retry-After": request.query.get("after", "1")})
        return web.Response(text=PAGE, content_type="text/html")

    async def head_refused(request: web.Request) -> web.Response:
        await count(request)
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(text=PAGE, content_type="text/html")

    async def head_lies(request: web.Request) -> web.Response:
        await count(request)
        if request.method == "HEAD":
            return web.Response(status=404)
        return web.Response(text=PAGE, content_type="text/html")

    def redirect(code: int, to: str):
        async def handler(request: web.Request) -> web.Response:
            await count(request)
            return web.Response(status=code, headers={"Location": to})

        return handler

    async def to_internal(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(status=302, headers={"Location": f"http://internal.test:{_INTERNAL_PORT[0]}/ok"})

    async def slow(request: web.Request) -> web.Response:
        await count(request)
        tag = request.query.get("t", "")
        state.starts.setdefault(tag, []).append(time.monotonic())
        state.in_flight[tag] += 1
        state.most_in_flight[tag] = max(state.most_in_flight[tag], state.in_flight[tag])
        await asyncio.sleep(0.1)
        state.in_flight[tag] -= 1
        return web.Response(text=PAGE, content_type="text/html")

    async def hang(request: web.Request) -> web.Response:
        await count(request)
        await asyncio.sleep(30)
        return web.Response(text="late")

    async def endless(request: web.Request) -> web.StreamResponse:
        await count(request)
        if request.method == "HEAD":
            return web.Response(status=405)
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<html><body>")
        chunk = b"<p>more</p>" * 4096
        for _ in range(100_000):  # about 4 GiB: a client that reads it all never finishes
            await response.write(chunk)
        return response

    async def auth(request: web.Request) -> web.Response:
        state.authorization[f"{request.host.split(':')[0]}{request.path}"] = request.headers.get(
            "Authorization"
        )
        if request.path == "/auth/leave":
            port = request.url.port
            return web.Response(
                status=302, headers={"Location": f"https://elsewhere.test:{port}/auth/landed"}
            )
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    routes = {
        "/ok": ok,
        "/anchors": ok,
        "/notfound": status(404),
        "/gone": status(410),
        "/teapot": status(418),
        "/forbidden": status(403),
        "/challenge": status(403, **{"cf-mitigated": "challenge"}),
        "/linkedin": status(999),
        "/always503": status(503),
        "/always429": status(429, **{"Retry-After": "0"}),
        "/flaky": flaky,
        "/rate-limited": rate_limited,
        "/head-refused": head_refused,
        "/head-lies": head_lies,
        "/moved": redirect(301, "/ok"),
        "/temporary": redirect(302, "/ok"),
        "/chain/1": redirect(301, "/chain/2"),
        "/chain/2": redirect(302, "/chain/3"),
        "/chain/3": redirect(307, "/ok"),
        "/loop/a": redirect(302, "/loop/b"),
        "/loop/b": redirect(302, "/loop/a"),
        "/moved-to-dead": redirect(301, "/notfound"),
        "/to-internal": to_internal,
        "/hang": hang,
        "/slow": slow,
        "/endless": endless,
        "/auth/start": auth,
        "/auth/leave": auth,
        "/auth/landed": auth,
    }
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    return app


async def _raw_server(host: str) -> asyncio.Server:
    """Answers `/reset` by resetting the connection and anything else with bytes that are not HTTP."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_line = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        if b"/reset" in request_line:
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            writer.transport.abort()
            return
        writer.write(b"THIS IS NOT HTTP\r\n\x00\x01\x02\r\n\r\n")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, host, 0)


@dataclass
class Web:
    """The running servers: `url(host, path)` builds a link to one of them."""

    ports: dict[str, int]
    state: WebState
    cert: Path

    def url(self, host: str, path: str, scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.ports[HOSTS.get(host, host)]}{path}"


def _make_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=github.com", "-addext", "subjectAltName=DNS:github.com,DNS:elsewhere.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session", name="loopback_web")
def loopback_web_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    cert, key = _make_cert(tmp_path_factory.mktemp("tls"))
    state = WebState()
    loop = asyncio.new_event_loop()
    ports: dict[str, int] = {}
    runners: list[web.AppRunner] = []
    servers: list[asyncio.Server] = []

    async def start() -> None:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        for address, context in ((INTERNAL, None), (PUBLIC, None), (TLS, tls)):
            app = _app(state)
            runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=0.1)
            await runner.setup()
            site = web.TCPSite(runner, address, 0, ssl_context=context)
            await site.start()
            ports[address] = site._server.sockets[0].getsockname()[1]
            runners.append(runner)
        server = await _raw_server(RAW)
        ports[RAW] = server.sockets[0].getsockname()[1]
        servers.append(server)

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    _INTERNAL_PORT[0] = ports[INTERNAL]
    yield Web(ports, state, cert)

    async def stop() -> None:
        for server in servers:
            server.close()
        for runner in runners:
            await runner.cleanup()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)


_INTERNAL_PORT = [0]

# Short timeouts and backoff keep every test fast; these are options, as a user would pass them.
FAST = [
    "--no-progress",
    "--timeout", "1",
    "--max-retries", "2",
    "--retry-wait-time", "0.01",
    "--host-request-interval", "0",
    "--deadline", "20",
]  # fmt: skip


@dataclass
class CheckRun:
    code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def link(self, url: str) -> dict[str, Any]:
        matches = [link for link in self.report["links"] if link["url"] == url]
        assert matches, f"{url} not in the report: {self.stdout}"
        return matches[0]

    def status(self, url: str) -> str:
        return self.link(url)["status"]


def write_config(folder: Path, text: str = "") -> Path:
    config = folder / "linkcheck.toml"
    config.write_text(text, encoding="utf-8")
    return config


def run_checker(
    folder: Path,
    markdown: str | None,
    *args: str,
    resolver: AbstractResolver | None = None,
    ssl_context: object = True,
    is_public=only_public,
    config: str = "",
    fmt: str = "json",
) -> CheckRun:
    """Write `markdown` to a note in `folder` and run the checker on it, in this process."""
    note = folder / "note.md"
    if markdown is not None:
        note.write_text(markdown, encoding="utf-8")
    config_path = write_config(folder, config)
    out, err = io.StringIO(), io.StringIO()
    argv = [
        str(note),
        "--config", str(config_path),
        "--cache", str(folder / "cache.sqlite"),
        "--format", fmt,
        *FAST,
        *args,
    ]  # fmt: skip
    code = main(
        argv,
        resolver=resolver or MappingResolver(HOSTS),
        ssl=ssl_context,
        is_public=is_public,
        stdout=out,
        stderr=err,
    )
    return CheckRun(code, out.getvalue(), err.getvalue())
