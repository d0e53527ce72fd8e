"""The resolver that enforces the address-safety rule on every connection aiohttp makes."""

from __future__ import annotations

import socket
from collections.abc import Callable

from aiohttp.abc import AbstractResolver, ResolveResult

from linkcheck.safety import AddressRule, UnsafeAddressError, is_public_address


class SafeResolver(AbstractResolver):
    """Wraps a resolver and drops every non-public address it returns, unless allow_local.

    `on_resolved` is told of every name that resolved: the network is there."""

    def __init__(
        self,
        inner: AbstractResolver,
        allow_local: bool,
        is_public: AddressRule = is_public_address,
        on_resolved: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.allow_local = allow_local
        self.is_public = is_public
        self.on_resolved = on_resolved

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
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
