"""The event loop a run uses: uvloop when it is installed, else asyncio's own.

uvloop (libuv, in C) cuts the loop's share of the CPU time per request; the
checker behaves the same on either, and the tests run both. Setting
LINKCHECK_EVENT_LOOP=asyncio forces the pure-Python loop.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop factory, or None for asyncio's default loop."""
    if os.environ.get("LINKCHECK_EVENT_LOOP", "").lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(coroutine)
