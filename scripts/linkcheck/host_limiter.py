"""Politeness per host: at most N requests at once, a minimum interval between starts,
and a shared pause when the host says `Retry-After`.

A request is spaced twice. First, while it holds only its host's slot, it waits
for its turn on that host (no global slot is held while a slow host paces its
queue). Then, once it also holds one of the run's global slots and a connection,
right before it is written, its start is checked again against the last start on
that host: two requests that passed the first spacing apart may have waited for
global slots or for a connection and been let go together, and without the
second check they would reach the host back to back.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from linkcheck.config import Settings


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    concurrency: int
    interval: float
    # The next start the first spacing hands out, and when the second one last let a request go.
    next_start: float = 0.0
    last_start: float = float("-inf")
    # No start before this: the host's Retry-After.
    not_before: float = 0.0
    pacing: asyncio.Lock = field(default_factory=asyncio.Lock)
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)


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

    def spaces(self, host: str) -> bool:
        """Whether requests to `host` keep an interval (with none, there is nothing to space)."""
        return self._state(host).interval > 0

    async def _until(self, moment: float) -> None:
        # Sleep until `moment` by this limiter's clock, checked again on waking: the loop's
        # timers may be coarser than this clock (uvloop's count whole milliseconds).
        while (wait := moment - self.clock()) > 0:
            await asyncio.sleep(wait)

    async def before_send(self, host: str) -> None:
        """The second spacing, against the last start on `host`: when the connection is ready.

        Called by the HTTP client once it holds a connection and is about to write the
        request. Spacing any earlier leaves the time to connect in between, and a request
        that had to open a connection could reach the host right before the next one,
        which found a connection open."""
        await self._second_spacing(self._state(host), honour_deferral=False)

    async def _second_spacing(self, state: _HostState, honour_deferral: bool) -> None:
        # One request at a time, each timed from when the one before it actually left: with
        # reserved start times instead, a loop that wakes late (a busy machine starves it)
        # lets every overdue request go at once (bench_links saw gaps under 1 ms at 50 ms).
        now = self.clock()
        if not state.sending.locked() and now >= max(
            state.last_start + state.interval, state.not_before if honour_deferral else 0.0
        ):
            # Nothing to wait for and nobody waiting ahead: go now, without the lock. (A waiter
            # just woken measures its wait from this start when it runs.)
            state.last_start = now
            return
        async with state.sending:
            # Read again on each wake-up: `sent` may have moved the last start later meanwhile.
            while (
                wait := max(state.last_start + state.interval, state.not_before if honour_deferral else 0.0)
                - self.clock()
            ) > 0:
                await asyncio.sleep(wait)
            state.last_start = self.clock()

    def sent(self, host: str) -> None:
        """The request last let go on `host` was written only now: the next waits from here."""
        state = self._state(host)
        state.last_start = max(state.last_start, self.clock())

    def slot(
        self, host: str, global_slots: asyncio.Semaphore | None = None, spaced_at_send: bool = False
    ) -> _Slot:
        """Hold one of `host`'s slots (and then one of `global_slots`) with the start spaced:
        `async with limiter.slot(host, global_slots): ...`.

        With `spaced_at_send`, the second spacing is left to `before_send`."""
        return _Slot(self, host, global_slots, spaced_at_send)

    async def acquire(
        self, host: str, global_slots: asyncio.Semaphore | None, spaced_at_send: bool
    ) -> _HostState:
        """What `slot` does on entry; `release` undoes it."""
        state = self._state(host)
        await state.slots.acquire()
        try:
            now = self.clock()
            if state.pacing.locked() or state.next_start > now:
                # Starts are spaced one by one: the lock keeps waiters from all leaving at once.
                async with state.pacing:
                    await self._until(state.next_start)
                    now = self.clock()
            # (Nobody waiting and no wait due: the start is taken at once, without the lock.)
            state.next_start = max(state.next_start, now) + state.interval
            if global_slots is not None:
                await global_slots.acquire()
            try:
                if not spaced_at_send:
                    await self._second_spacing(state, honour_deferral=True)
            except BaseException:
                if global_slots is not None:
                    global_slots.release()
                raise
        except BaseException:
            state.slots.release()
            raise
        return state

    @staticmethod
    def release(state: _HostState, global_slots: asyncio.Semaphore | None) -> None:
        if global_slots is not None:
            global_slots.release()
        state.slots.release()


class _Slot:
    """`HostLimiter.slot` as a context manager (a class: a generator-based one cost more per request)."""

    __slots__ = ("global_slots", "host", "limiter", "spaced_at_send", "state")

    def __init__(
        self, limiter: HostLimiter, host: str, global_slots: asyncio.Semaphore | None, spaced_at_send: bool
    ) -> None:
        self.limiter, self.host = limiter, host
        self.global_slots, self.spaced_at_send = global_slots, spaced_at_send
        self.state: _HostState | None = None

    async def __aenter__(self) -> None:
        self.state = await self.limiter.acquire(self.host, self.global_slots, self.spaced_at_send)

    async def __aexit__(self, *_: object) -> None:
        assert self.state is not None
        self.limiter.release(self.state, self.global_slots)
