"""Politeness per host: at most N requests at once, a minimum interval between starts,
and a shared pause when the host says `Retry-After`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from linkcheck.config import Settings


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    pacing: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostLimiter:
    def __init__(self, settings: Settings, clock=time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            policy = self.settings.policy_for(host)
            concurrency = policy.concurrency or self.settings.host_concurrency
            interval = (
                policy.request_interval
                if policy.request_interval is not None
                else self.settings.host_request_interval
            )
            state = self._hosts[host] = _HostState(asyncio.Semaphore(max(1, concurrency)), interval)
        return state

    def defer(self, host: str, seconds: float) -> None:
        """No request to `host` starts for `seconds` (its Retry-After, shared by every link on it)."""
        state = self._state(host)
        state.next_start = max(state.next_start, self.clock() + seconds)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        state = self._state(host)
        async with state.slots:
            # Starts are spaced one by one: the lock keeps waiters from all leaving at once.
            async with state.pacing:
                wait = state.next_start - self.clock()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = max(state.next_start, self.clock()) + state.interval
            yield
