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
import functools
import gzip
import io
import json
import socket
import ssl
import subprocess
import threading
import time
import zlib
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
RAW = "127.0.0.4"  # a server written byte by byte: resets, garbage, and the wire's odd corners
TLS = "127.0.0.5"  # HTTPS, for GitHub token scoping

HOSTS = {
    "site.test": PUBLIC,
    "other.test": PUBLIC,
    "internal.test": INTERNAL,
    "broken.test": RAW,
    "wire.test": RAW,
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
    # The raw server: connections opened per test tag (`t=` in the first request on each).
    connections: Counter = field(default_factory=Counter)


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

    async def get_gone(request: web.Request) -> web.Response:
        # The converse of head_lies: HEAD says all is well, GET (what a reader does) says 404.
        await count(request)
        if request.method == "HEAD":
            return web.Response(status=200, content_type="text/html")
        return web.Response(text=PAGE, status=404, content_type="text/html")

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
        "/get-gone": get_gone,
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


WIRE_PAGE = b'<!doctype html><html><body><h2 id="here">Here</h2>' + b"<p>filler</p>" * 400 + b"</body></html>"


@functools.cache
def _bomb() -> bytes:
    """8 MiB of spaces after an anchor-less page start, gzipped to a few KiB."""
    return gzip.compress(b"<html><body>" + b" " * (8 * 1024 * 1024))


def _head(status: bytes, *headers: bytes) -> bytes:
    return b"HTTP/1.1 " + status + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"


def _html(body: bytes, *headers: bytes) -> bytes:
    return _head(b"200 OK", b"Content-Type: text/html", b"Content-Length: %d" % len(body), *headers) + body


def _wire_answer(path: str, method: str, served: int) -> tuple[bytes, bool]:
    """What the raw server writes for a request under /wire/, and whether it then closes."""
    head_only = method == "HEAD"
    if path.startswith("/wire/chunked"):
        pieces = (WIRE_PAGE[:100], WIRE_PAGE[100:])
        body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        head = _head(b"200 OK", b"Content-Type: text/html", b"Transfer-Encoding: chunked")
        return head + (b"" if head_only else body), False
    if path.startswith(("/wire/gzip", "/wire/zlib", "/wire/raw-deflate")):
        if path.startswith("/wire/gzip"):
            encoding, body = b"gzip", gzip.compress(WIRE_PAGE)
        else:
            wbits = zlib.MAX_WBITS if path.startswith("/wire/zlib") else -zlib.MAX_WBITS
            encoder = zlib.compressobj(wbits=wbits)
            encoding, body = b"deflate", encoder.compress(WIRE_PAGE) + encoder.flush()
        head = _head(b"200 OK", b"Content-Type: text/html", b"Content-Encoding: " + encoding,
                     b"Content-Length: %d" % len(body))  # fmt: skip
        return head + (b"" if head_only else body), False
    if path.startswith("/wire/bomb"):
        body = _bomb()
        head = _head(b"200 OK", b"Content-Type: text/html", b"Content-Encoding: gzip",
                     b"Content-Length: %d" % len(body))  # fmt: skip
        return head + (b"" if head_only else body), False
    if path.startswith("/wire/http10"):
        # No length: the body ends when the server closes the connection.
        return b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + (b"" if head_only else WIRE_PAGE), True
    if path.startswith("/wire/continue"):
        return b"HTTP/1.1 100 Continue\r\n\r\n" + _html(b"" if head_only else WIRE_PAGE), False
    if path.startswith("/wire/truncated"):
        # Promises 5,000 bytes, sends 50 (with the anchor in them), then closes.
        return _head(b"200 OK", b"Content-Type: text/html", b"Content-Length: 5000") + WIRE_PAGE[:50], True
    if path.startswith("/wire/head-with-body"):
        # A body even for HEAD (a broken server): the connection must not be used again.
        return _html(WIRE_PAGE), False
    if path.startswith("/wire/one-per-connection"):
        # Keeps the connection open after answering but drops it at the next request, unanswered,
        # as a server does whose keep-alive timer ran out just as the request was sent.
        if served:
            return b"", True
        return _html(b"" if head_only else WIRE_PAGE), False
    if path.startswith("/wire/huge-head"):
        return _head(b"200 OK", *(b"X-Filler-%d: %s" % (n, b"x" * 1000) for n in range(400))), False
    return _head(b"404 Not Found", b"Content-Length: 0"), False


async def _raw_server(host: str, state: WebState) -> asyncio.Server:
    """Answers `/reset` by resetting the connection, `/wire/...` with hand-written HTTP (see
    `_wire_answer`, keeping the connection open between requests), and anything else with
    bytes that are not HTTP."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served = 0
        try:
            while request_line := await reader.readline():
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                method, target = request_line.decode("latin-1").split()[:2]
                if served == 0:
                    state.connections[target.partition("t=")[2]] += 1
                if target.startswith("/reset"):
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    writer.transport.abort()
                    return
                if not target.startswith("/wire/"):
                    writer.write(b"THIS IS NOT HTTP\r\n\x00\x01\x02\r\n\r\n")
                    await writer.drain()
                    break
                state.hits[target] += 1
                state.methods.append((method, target.partition("?")[0]))
                answer, close = _wire_answer(target, method, served)
                served += 1
                writer.write(answer)
                await writer.drain()
                if close:
                    break
        except (ConnectionError, ValueError):
            pass
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
        server = await _raw_server(RAW, state)
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
