"""One page, over the network: HEAD (or GET), redirects by hand, retries, a capped body.

Redirects are followed here rather than by the HTTP client so that each hop is
counted, checked for loops, checked by the safety rule and given (or denied)
the GitHub token on its own merits.
"""

from __future__ import annotations

import asyncio
import errno
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from yarl import URL

from linkcheck.config import Settings
from linkcheck.connector import ConnectError, Connector, DnsError
from linkcheck.host_limiter import HostLimiter
from linkcheck.http_connection import DISCARD, DRAIN, BodyPlan, ConnectionClosed, Head, ReplyError
from linkcheck.outcome import Failure, Outcome
from linkcheck.retry import backoff_delay, retry_after_seconds
from linkcheck.safety import AddressRule, UnsafeAddressError, github_authorization, is_public_address, refusal

if TYPE_CHECKING:
    from linkcheck.anchor_reader import AnchorReader

PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Small bodies are read so the connection can be kept alive; larger ones are dropped unread.
DRAIN_LIMIT = 64 * 1024
# Everything that a request can fail with, short of a bug.
REQUEST_ERRORS = (DnsError, ConnectError, ConnectionClosed, ReplyError, OSError, TimeoutError, ValueError)


def _failure_of(error: BaseException) -> tuple[str, str]:
    if isinstance(error, UnsafeAddressError):
        return Failure.UNSAFE, str(error)
    if isinstance(error, DnsError):
        return Failure.DNS, f"host not found ({error.os_error.strerror or error.os_error})"
    if isinstance(error, ConnectError):
        if isinstance(error.os_error, ConnectionRefusedError) or error.os_error.errno == errno.ECONNREFUSED:
            return Failure.REFUSED, "connection refused"
        return Failure.REFUSED, f"cannot connect ({error.os_error.strerror or error.os_error})"
    if isinstance(error, TimeoutError):
        return Failure.TIMEOUT, "timed out"
    if isinstance(error, ConnectionClosed | OSError):
        return Failure.RESET, "connection reset by the server"
    if isinstance(error, ReplyError):
        return Failure.GARBAGE, f"unreadable reply ({error})"
    return Failure.GARBAGE, f"{type(error).__name__}: {error}"


def request_head(method: str, url: URL, headers: str) -> bytes:
    """The bytes of a request without a body; `headers` are the run's own, already joined."""
    # host_port_subcomponent: the Host header as aiohttp writes it (port only when not the default).
    target = url.raw_path_qs or "/"
    return f"{method} {target} HTTP/1.1\r\nHost: {url.host_port_subcomponent}\r\n{headers}\r\n".encode()


def _drain_plan(head: Head) -> BodyPlan:
    # Reading a small known body keeps the connection reusable; anything else is dropped,
    # which closes the connection: an endless body is never downloaded.
    length = head.content_length
    return DRAIN if length is not None and length <= DRAIN_LIMIT else DISCARD


class PageFetcher:
    def __init__(
        self,
        connector: Connector,
        settings: Settings,
        limiter: HostLimiter,
        global_slots: asyncio.Semaphore,
        headers: dict[str, str],
        token: str | None = None,
        deadline: float | None = None,
        is_public: AddressRule = is_public_address,
    ) -> None:
        self.is_public = is_public
        self.connector = connector
        self.settings = settings
        self.limiter = limiter
        self.global_slots = global_slots
        self.headers = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.token = token
        self.deadline = deadline

    async def fetch(self, url: URL, fragments: frozenset[str]) -> Outcome:
        """The page's outcome after up to max_retries retries of retryable answers."""
        attempt = 0
        while True:
            outcome = await self._follow(url, fragments)
            outcome.attempts = attempt + 1
            if not outcome.retryable or attempt >= self.settings.max_retries:
                return outcome
            delay = backoff_delay(attempt, self.settings.retry_base, self.settings.backoff_cap)
            if outcome.retry_after is not None:
                delay = min(outcome.retry_after, self.settings.retry_after_cap)
                self.limiter.defer(outcome.final_host, delay)
            if self.deadline is not None and time.monotonic() + delay > self.deadline:
                return outcome
            await asyncio.sleep(delay)
            attempt += 1

    async def _follow(self, url: URL, fragments: frozenset[str]) -> Outcome:
        outcome = Outcome(url=str(url))
        seen = {url.with_fragment(None)}
        current = url
        for _ in range(self.settings.max_redirects + 1):
            reason = refusal(current, self.settings.allow_local, self.is_public)
            if reason:
                outcome.failure, outcome.message, outcome.final_url = Failure.UNSAFE, reason, str(current)
                return outcome
            if not current.raw_host:
                outcome.failure, outcome.message = Failure.INVALID, f"malformed URL (no host: {current})"
                outcome.final_url = str(current)
                return outcome
            location = await self._request(current, fragments, outcome)
            outcome.final_host = current.host or ""
            if location is None:
                outcome.final_url = outcome.url if current is url else str(current)
                return outcome
            try:
                target = current.join(URL(location))
            except ValueError as error:
                outcome.failure, outcome.message = Failure.INVALID, f"redirect to a malformed URL ({error})"
                return outcome
            if outcome.hops == 0:
                outcome.first_hop_permanent = outcome.code in PERMANENT_REDIRECTS
            outcome.hops += 1
            if target.scheme not in ("http", "https"):
                outcome.final_url = str(target)
                outcome.failure, outcome.message = Failure.INVALID, f"redirects to a non-HTTP URL {target}"
                return outcome
            if target.with_fragment(None) in seen:
                outcome.final_url = str(target)
                outcome.failure, outcome.message = Failure.LOOP, f"redirect loop after {outcome.hops} hops"
                return outcome
            seen.add(target.with_fragment(None))
            current = target
        outcome.final_url = str(current)
        outcome.failure = Failure.TOO_MANY_REDIRECTS
        outcome.message = f"more than {self.settings.max_redirects} redirects"
        return outcome

    async def _request(self, url: URL, fragments: frozenset[str], outcome: Outcome) -> str | None:
        """One hop: fills in outcome's code or failure; returns the Location to follow, if any."""
        outcome.code, outcome.failure, outcome.message, outcome.retry_after = None, None, "", None
        host = url.host or ""
        methods = ("GET",) if fragments else ("HEAD", "GET")
        # With an interval to keep, the last spacing happens once a connection is ready, right
        # before the request is written (host_limiter.before_send); with none, no request pays for it.
        spaced = self.limiter.spaces(host)
        async with self.limiter.slot(host, self.global_slots, spaced_at_send=spaced):
            for method in methods:
                try:
                    location = await self._send(method, url, fragments, outcome, spaced)
                except REQUEST_ERRORS as error:
                    outcome.code = None
                    outcome.failure, outcome.message = _failure_of(error)
                    return None
                outcome.answered_hosts.add(host)
                # HEAD refused (405, 501) or lying (an error that GET does not give): ask again with GET.
                if (
                    method == "HEAD"
                    and outcome.code is not None
                    and outcome.code >= 400
                    and outcome.code not in (408, 429)
                ):
                    continue
                return location
        return None

    async def _send(
        self, method: str, url: URL, fragments: frozenset[str], outcome: Outcome, spaced: bool
    ) -> str | None:
        readers: list[AnchorReader] = []

        def plan(head: Head) -> BodyPlan:
            if head.status in REDIRECTS and b"location" in head.headers:
                return _drain_plan(head)
            if fragments and 200 <= head.status < 300:
                content_type = head.get(b"content-type") or ""
                if "html" not in content_type.lower():
                    return DISCARD
                from linkcheck.anchor_reader import AnchorReader  # only runs with fragments parse HTML

                reader = AnchorReader(
                    fragments, self.settings.max_body_bytes, content_type, head.get(b"content-encoding") or ""
                )
                readers.append(reader)
                return reader.feed
            return _drain_plan(head)

        headers = self.headers
        if authorization := github_authorization(url, self.token):
            headers += f"Authorization: {authorization['Authorization']}\r\n"
        data = request_head(method, url, headers)
        async with asyncio.timeout(self.settings.timeout):
            head = await self._exchange(url, data, method == "HEAD", plan, spaced)
        outcome.code = head.status
        outcome.cf_mitigated = head.get(b"cf-mitigated")
        outcome.retry_after = retry_after_seconds(head.get(b"retry-after"))
        location = head.get(b"location")
        if head.status in REDIRECTS and location is not None:
            return location
        if readers:
            outcome.anchors = readers[0].anchors
            outcome.body_truncated = readers[0].truncated
        return None

    async def _exchange(
        self, url: URL, data: bytes, head_only: bool, plan: Callable[[Head], BodyPlan], spaced: bool
    ) -> Head:
        """Send one request on a connection to its origin and wait for the answer, as planned.

        A kept-alive connection that the server closed while it was idle fails before any byte
        of an answer: the request is sent once more on a new connection (RFC 9112, 9.3.1)."""
        host = url.host or ""
        connection = self.connector.idle(url)
        reused = connection is not None
        if connection is None:
            connection = await self.connector.connect(url)
        while True:
            try:
                if spaced:
                    await self.limiter.before_send(host)
                waiter = connection.request(data, head_only, plan)
                if spaced:
                    self.limiter.sent(host)
                head = await waiter
            except ConnectionClosed as error:
                self.connector.release(connection)
                if reused and not error.answered:
                    connection, reused = await self.connector.connect(url), False
                    continue
                raise
            except BaseException:  # a timeout, an unreadable reply, the run's end: mid-answer
                connection.abort()
                self.connector.release(connection)
                raise
            self.connector.release(connection)
            return head
