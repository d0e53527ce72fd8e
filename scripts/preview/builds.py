"""Steps around each rebuild of a live-preview server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def around_builds(
    builder: Callable[..., Any],
    *,
    before: Callable[[], None] = lambda: None,
    after: Callable[[], None] = lambda: None,
) -> Callable[..., Any]:
    """`builder` with `before` run first and `after` run once the build ends, failed or not.
    If `before` fails the build does not run (nor `after`): the error is the build's error."""

    def build(*args: Any, **kwargs: Any) -> Any:
        before()
        try:
            return builder(*args, **kwargs)
        finally:
            after()

    return build
