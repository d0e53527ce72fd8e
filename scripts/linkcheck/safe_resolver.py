"""Name resolution for every connection a run makes, with the address-safety rule enforced.

A resolver is anything with `async resolve(host, port, family)` returning a list of
dicts with at least "host" (the address) and "port", and `async close()`: the
shape of aiohttp's resolvers, so the tests' loopback resolvers (and aiodns-based
ones) plug in unchanged.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any, Protocol

from linkcheck.safety import AddressRule, UnsafeAddressError, is_public_address

ResolveResult = dict[str, Any]

# Only the address families this machine has configured (as aiohttp asks, too).
_AI_ADDRCONFIG = socket.AI_ADDRCONFIG & getattr(socket, "AI_MASK", -1)


class Resolver(Protocol):
    async def resolve(
        self, host: str, port: int = 0, family: int = socket.AF_UNSPEC
    ) -> list[ResolveResult]: ...

    async def close(self) -> None: ...


class SystemResolver:
    """The operating system's resolver (getaddrinfo, in the loop's thread pool)."""

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_UNSPEC) -> list[ResolveResult]:
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, family=family, flags=_AI_ADDRCONFIG
        )
        results = []
        for found_family, _, _, _, address in infos:
            if found_family == socket.AF_INET6:
                if len(address) < 3:
                    continue  # Python built without IPv6 support
                if address[3]:
                    # A scoped (link-local) address: its name carries the scope, as "fe80::1%eth0".
                    name, service = await loop.getnameinfo(
                        address, socket.NI_NUMERICHOST | socket.NI_NUMERICSERV
                    )
                    results.append({"host": name, "port": int(service), "family": found_family})
                    continue
            results.append({"host": address[0], "port": address[1], "family": found_family})
        return results

    async def close(self) -> None:
        pass


class SafeResolver:
    """Wraps a resolver and drops every non-public address it returns, unless allow_local.

    `on_resolved` is told of every name that resolved: the network is there."""

    def __init__(
        self,
        inner: Resolver,
        allow_local: bool,
        is_public: AddressRule = is_public_address,
        on_resolved: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.allow_local = allow_local
        self.is_public = is_public
        self.on_resolved = on_resolved

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_UNSPEC) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        if self.on_resolved is not None:
            self.on_resolved()
        if self.allow_local:
            return results
        public = [r for r in results if self.is_public(r["host"])]
        if not public:
            addresses = ", ".join(sorted({r["host"] for r in results}))
            raise UnsafeAddressError(
                f"refused: {host} resolves to {addresses}, not a public address "
                "(use --allow-local to check it)"
            )
        return public

    async def close(self) -> None:
        await self.inner.close()
