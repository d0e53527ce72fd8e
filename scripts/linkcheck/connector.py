"""Connections to the hosts a run checks: found through the safe resolver, opened (with TLS
for https), and kept alive between requests to the same origin.

Every name is looked up once for all the requests to it (the answer is kept for
`DNS_TTL`), always through `SafeResolver`, so the address-safety rule holds on
every connection. Addresses are tried with Happy Eyeballs (RFC 8305), as aiohttp
does, so a host with a broken IPv6 route still answers over IPv4.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import TYPE_CHECKING, Any

from yarl import URL

from linkcheck.http_connection import HttpConnection
from linkcheck.safety import UnsafeAddressError, literal_address

if TYPE_CHECKING:
    import ssl as ssl_module

    from linkcheck.safe_resolver import SafeResolver

# How long a looked-up name and an idle connection are kept (aiohttp's defaults).
DNS_TTL = 300.0
KEEPALIVE_TIMEOUT = 15.0
HAPPY_EYEBALLS_DELAY = 0.25


class DnsError(Exception):
    """The host's name could not be resolved; `os_error` says why."""

    def __init__(self, os_error: OSError) -> None:
        super().__init__(str(os_error))
        self.os_error = os_error


class ConnectError(Exception):
    """No connection could be made to any of the host's addresses (refused, unreachable, TLS)."""

    def __init__(self, os_error: OSError) -> None:
        super().__init__(str(os_error))
        self.os_error = os_error


Origin = tuple[str, str, int]  # scheme, host, port


def _origin(url: URL) -> Origin:
    """Where a connection to `url` leads: connections are reused only within one origin."""
    return (url.scheme, url.raw_host or "", url.port or 0)


def idle_limit(requests_in_flight: int) -> int:
    """How many kept-alive connections may wait for reuse at once: as many as this process's
    file descriptors allow beside the requests in flight and some files (macOS allows 256 by
    default, Linux usually 1,024 or more). Beyond it, the longest idle is closed."""
    try:
        import resource
    except ImportError:  # Windows: no such per-process limit
        return 1 << 16
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 16
    return max(0, soft - requests_in_flight - 64)


class Connector:
    """Hands out connections by origin and takes them back for reuse when they are fit for it."""

    def __init__(self, resolver: SafeResolver, ssl: object = True, max_idle: int = 1 << 16) -> None:
        self.resolver = resolver
        # True: the system's trust store (made on the first https request, as making it costs
        # tens of milliseconds); False: no verification; or the SSLContext to use.
        self._ssl = ssl
        self._context: ssl_module.SSLContext | None = None
        self.max_idle = max_idle
        # Idle connections by origin, and all of them from the longest idle (dicts keep order).
        self._idle: dict[Origin, dict[HttpConnection, None]] = {}
        self._waiting: dict[HttpConnection, None] = {}
        self._addresses: dict[tuple[str, int], tuple[float, list[Any]]] = {}
        self._lookups: dict[tuple[str, int], asyncio.Future[list[Any]]] = {}
        self._open: set[HttpConnection] = set()

    def idle(self, url: URL) -> HttpConnection | None:
        """A kept-alive connection to `url`'s origin that is still open, if there is one."""
        idle = self._idle.get(_origin(url))
        if not idle:
            return None
        now = time.monotonic()
        while idle:
            connection, _ = idle.popitem()  # the one used last
            del self._waiting[connection]
            if not connection.closed and now - connection.idle_since < KEEPALIVE_TIMEOUT:
                return connection
            self._drop(connection)
        return None

    async def connect(self, url: URL) -> HttpConnection:
        """A new connection to `url`'s origin."""
        origin = _origin(url)
        connection = await self._connect(origin)
        connection.origin = origin
        return connection

    def release(self, connection: HttpConnection) -> None:
        """Take a connection back after a request: kept for the next one if it is fit for it."""
        if not connection.reusable or connection.closed or self.max_idle <= 0:
            self._drop(connection)
            return
        connection.idle_since = time.monotonic()
        self._idle.setdefault(connection.origin, {})[connection] = None
        self._waiting[connection] = None
        if len(self._waiting) > self.max_idle:
            longest = next(iter(self._waiting))
            del self._waiting[longest]
            del self._idle[longest.origin][longest]
            self._drop(longest)

    @property
    def idle_count(self) -> int:
        return len(self._waiting)

    def _drop(self, connection: HttpConnection) -> None:
        connection.abort()
        self._open.discard(connection)

    async def close(self) -> None:
        """Drop every connection (the run is over) and close the resolver."""
        for connection in self._open:
            connection.abort()
        self._open.clear()
        self._idle.clear()
        self._waiting.clear()
        await self.resolver.close()

    async def _connect(self, origin: Origin) -> HttpConnection:
        scheme, host, port = origin
        # A name with more than one trailing dot gets one (aiohttp#7364); certificates have none.
        if host.endswith(".."):
            host = host.rstrip(".") + "."
        address = literal_address(host)
        if address is not None:
            results: list[Any] = [{"host": address, "port": port}]
        else:
            results = await self._resolve(host, port)
        infos = [
            (
                socket.AF_INET6 if ":" in r["host"] else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (r["host"], r["port"], 0, 0) if ":" in r["host"] else (r["host"], r["port"]),
            )
            for r in results
        ]
        if not infos:
            raise DnsError(OSError(f"no address found for {host}"))
        loop = asyncio.get_running_loop()
        context = self._context_for_https() if scheme == "https" else None
        server_hostname = host.rstrip(".") if context else None
        try:
            if len(infos) == 1:
                # One address: no race to run. (uvloop's sock_connect, which the race uses, looks
                # even a numeric address up in its thread pool; create_connection does not.)
                address, port = infos[0][4][:2]
                _, connection = await loop.create_connection(
                    HttpConnection, address, port, ssl=context, server_hostname=server_hostname
                )
            else:
                from aiohappyeyeballs import start_connection  # most hosts have one address

                sock = await start_connection(infos, happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY, loop=loop)
                _, connection = await loop.create_connection(
                    HttpConnection, sock=sock, ssl=context, server_hostname=server_hostname
                )
        except OSError as error:  # refused, unreachable, and TLS failures (ssl.SSLError)
            raise ConnectError(error) from error
        except RuntimeError as error:  # uvloop's way of saying some of the same
            raise ConnectError(OSError(str(error))) from error
        self._open.add(connection)
        return connection

    async def _resolve(self, host: str, port: int) -> list[Any]:
        key = (host, port)
        known = self._addresses.get(key)
        if known is not None and time.monotonic() < known[0]:
            return known[1]
        # Requests to one host that start together share one look-up.
        lookup = self._lookups.get(key)
        if lookup is None:
            lookup = self._lookups[key] = asyncio.ensure_future(self.resolver.resolve(host, port))

            def forget(done: asyncio.Future[list[Any]]) -> None:
                self._lookups.pop(key, None)
                if not done.cancelled():
                    done.exception()  # retrieved: a failed look-up that nobody awaits any more is quiet

            lookup.add_done_callback(forget)
        try:
            # Shielded: a request that times out must not cancel the others' look-up.
            results = await asyncio.shield(lookup)
        except UnsafeAddressError:
            raise
        except OSError as error:
            raise DnsError(error) from error
        self._addresses[key] = (time.monotonic() + DNS_TTL, results)
        return results

    def _context_for_https(self) -> ssl_module.SSLContext:
        if self._context is None:
            import ssl

            if isinstance(self._ssl, ssl.SSLContext):
                self._context = self._ssl
                return self._context
            if self._ssl is False:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            else:
                context = ssl.create_default_context()
            # Only HTTP/1.1 is spoken here (aiohttp asks for the same on its own contexts).
            context.set_alpn_protocols(["http/1.1"])
            self._context = context
        return self._context
