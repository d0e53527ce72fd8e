"""When to try again: exponential backoff with full jitter, and the server's Retry-After.

`random` and `email.utils` are imported on first use: most runs never retry, and
start-up counts (a one-link run in pre-commit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random

RETRYABLE_CODES = frozenset({408, 429}) | frozenset(range(500, 600))


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Full jitter: uniform over [0, min(cap, base * 2**attempt)], attempt counting from 0."""
    import random

    return (rng or random).uniform(0, min(cap, base * 2**attempt))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date).

    None when the header is absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
