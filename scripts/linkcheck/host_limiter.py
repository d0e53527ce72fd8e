"""Politeness per host: at most N requests at once, a minimum interval between starts,
and a shared pause when the host says `Retry-After`.

A request is spaced twice. First, while it holds only its host's slot, it waits
for its turn on that host (no global slot is held while a slow host paces its
queue). Then, once it also holds one of the run's global slots, its start is
checked again against the last start on that host: two requests that passed the
first spacing apart may have waited for global slots and been let go together,
and without the second check they would reach the host back to back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass, field

from linkcheck.config import Settings


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    concurrency: int
    interval: float
    # The next start the first spacing hands out, and the last start the second one let go.
    next_start: float = 0.0
    last_start: float = float("-inf")
    # No start before this: the host's Retry-After.
    not_before: float = 0.0
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
            concurrency = max(1, policy.concurrency or self.settings.host_concurrency)
            interval = (
                policy.request_interval
                if policy.request_interval is not None
                else self.settings.host_request_interval
            )
            state = self._hosts[host] = _HostState(asyncio.Semaphore(concurrency), concurrency, interval)
        return state

    def concurrency(self, host: str) -> int:
        """How many requests `host` may have in flight at once."""
        return self._state(host).concurrency

    def defer(self, host: str, seconds: float) -> None:
        """No request to `host` starts for `seconds` (its Retry-After, shared by every link on it)."""
        state = self._state(host)
        state.not_before = max(state.not_before, self.clock() + seconds)
        state.next_start = max(state.next_start, state.not_before)

    @asynccontextmanager
    async def slot(self, host: str, global_slots: asyncio.Semaphore | None = None) -> AsyncIterator[None]:
        """Hold one of `host`'s slots (and then one of `global_slots`) with the start spaced."""
        state = self._state(host)
        async with state.slots:
            now = self.clock()
            if state.pacing.locked() or state.next_start > now:
                # Starts are spaced one by one: the lock keeps waiters from all leaving at once.
                async with state.pacing:
                    wait = state.next_start - self.clock()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    now = self.clock()
            # (Nobody waiting and no wait due: the start is taken at once, without the lock.)
            state.next_start = max(state.next_start, now) + state.interval
            async with global_slots if global_slots is not None else nullcontext():
                now = self.clock()
                start = max(now, state.last_start + state.interval, state.not_before)
                # Reserved before any wait, so a request let go at the same moment waits its turn.
                state.last_start = start
                if start > now:
                    await asyncio.sleep(start - now)
                yield
