"""The resolver that enforces the address-safety rule on every connection aiohttp makes."""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from linkcheck.safety import AddressRule, UnsafeAddressError, is_public_address


class SafeResolver(AbstractResolver):
    """Wraps a resolver and drops every non-public address it returns, unless allow_local."""

    def __init__(
        self, inner: AbstractResolver, allow_local: bool, is_public: AddressRule = is_public_address
    ) -> None:
        self.inner = inner
        self.allow_local = allow_local
        self.is_public = is_public

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
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
