"""What the network said about one page: the record passed from fetching to classifying."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkcheck.retry import RETRYABLE_CODES


class Failure:
    """Kinds of failure before any usable HTTP answer."""

    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    RESET = "reset"
    GARBAGE = "garbage"
    UNSAFE = "unsafe"
    LOOP = "loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    INVALID = "invalid"
    DEADLINE = "deadline"


RETRYABLE_FAILURES = frozenset({Failure.REFUSED, Failure.TIMEOUT, Failure.RESET, Failure.GARBAGE})


@dataclass
class Outcome:
    """What the network said about one page (a URL without its fragment)."""

    url: str
    code: int | None = None
    final_url: str | None = None
    # The host of the last URL requested (the one that gave `code`).
    final_host: str = ""
    first_hop_permanent: bool = False
    hops: int = 0
    failure: str | None = None
    message: str = ""
    cf_mitigated: str | None = None
    # Anchors on the final page when fragments were asked for and it is HTML, else None.
    anchors: set[str] | None = None
    body_truncated: bool = False
    attempts: int = 1
    retry_after: float | None = None
    # Hosts that gave an HTTP answer, and hosts that never did (DNS failure, refused, timeout).
    answered_hosts: set[str] = field(default_factory=set)

    @property
    def retryable(self) -> bool:
        if self.failure is not None:
            return self.failure in RETRYABLE_FAILURES
        return self.code in RETRYABLE_CODES
