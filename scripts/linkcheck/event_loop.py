"""The event loop a run uses: uvloop when it is installed and the run is large enough, else
asyncio's own.

uvloop (libuv, in C) cuts the loop's share of the CPU time per request, but importing
it costs about 3 ms (bench_links, one link: 3 ms of 0.14 s): a run of a few pages,
such as pre-commit on one changed note, is done sooner on asyncio's loop. The checker
behaves the same on either, and the tests run both. LINKCHECK_EVENT_LOOP=asyncio or
=uvloop forces one.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# From this many pages on, uvloop saves more than importing it costs.
UVLOOP_FROM_PAGES = 100


def loop_factory(pages: int | None = None) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop factory, or None for asyncio's default loop, for a run of `pages` pages
    (None: as many as it takes)."""
    chosen = os.environ.get("LINKCHECK_EVENT_LOOP", "").lower()
    if chosen == "asyncio" or (chosen != "uvloop" and pages is not None and pages < UVLOOP_FROM_PAGES):
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(coroutine: Coroutine[Any, Any, T], pages: int | None = None) -> T:
    with asyncio.Runner(loop_factory=loop_factory(pages)) as runner:
        return runner.run(coroutine)
