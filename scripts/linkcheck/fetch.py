"""One page, over the network: HEAD (or GET), redirects by hand, retries, a capped body.

Redirects are followed here rather than by aiohttp so that each hop is
counted, checked for loops, checked by the safety rule and given (or denied)
the GitHub token on its own merits.
"""

from __future__ import annotations

import asyncio
import codecs
import errno
import time

import aiohttp
from yarl import URL

from linkcheck.anchors import AnchorCollector, has_anchor
from linkcheck.config import Settings
from linkcheck.host_limiter import HostLimiter
from linkcheck.outcome import Failure, Outcome
from linkcheck.retry import backoff_delay, retry_after_seconds
from linkcheck.safety import AddressRule, UnsafeAddressError, github_authorization, is_public_address, refusal

PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Small bodies are read so the connection can be kept alive; larger ones are dropped unread.
DRAIN_LIMIT = 64 * 1024


def _failure_of(error: BaseException) -> tuple[str, str]:
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        if isinstance(error.os_error, UnsafeAddressError):
            return Failure.UNSAFE, str(error.os_error)
        return Failure.DNS, f"host not found ({error.os_error.strerror or error.os_error})"
    if isinstance(error, aiohttp.ClientConnectorError):
        if isinstance(error.os_error, UnsafeAddressError):
            return Failure.UNSAFE, str(error.os_error)
        if error.os_error.errno == errno.ECONNREFUSED or isinstance(error.os_error, ConnectionRefusedError):
            return Failure.REFUSED, "connection refused"
        return Failure.REFUSED, f"cannot connect ({error.os_error.strerror or error.os_error})"
    if isinstance(error, TimeoutError | aiohttp.ServerTimeoutError):
        return Failure.TIMEOUT, "timed out"
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        return Failure.RESET, "connection reset by the server"
    if isinstance(error, aiohttp.InvalidURL):
        return Failure.INVALID, f"malformed URL ({error})"
    if isinstance(error, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return Failure.GARBAGE, f"unreadable reply ({getattr(error, 'message', '') or error})"
    return Failure.GARBAGE, f"{type(error).__name__}: {error}"


class PageFetcher:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: Settings,
        limiter: HostLimiter,
        global_slots: asyncio.Semaphore,
        token: str | None = None,
        deadline: float | None = None,
        is_public: AddressRule = is_public_address,
        spaced_at_send: bool = False,
    ) -> None:
        # When set, the session's tracing calls limiter.before_send(host) with the host passed
        # as each request's trace context: see host_limiter.
        self.spaced_at_send = spaced_at_send
        self.is_public = is_public
        self.session = session
        self.settings = settings
        self.limiter = limiter
        self.global_slots = global_slots
        self.token = token
        self.deadline = deadline
        self.timeout = aiohttp.ClientTimeout(total=settings.timeout)

    async def fetch(self, url: str, fragments: frozenset[str]) -> Outcome:
        """The page's outcome after up to max_retries retries of retryable answers."""
        attempt = 0
        while True:
            outcome = await self._follow(URL(url, encoded=False), fragments)
            outcome.attempts = attempt + 1
            if not outcome.retryable or attempt >= self.settings.max_retries:
                return outcome
            delay = backoff_delay(attempt, self.settings.retry_base, self.settings.backoff_cap)
            if outcome.retry_after is not None:
                delay = min(outcome.retry_after, self.settings.retry_after_cap)
                host = URL(outcome.final_url or url).host or ""
                self.limiter.defer(host, delay)
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
            location = await self._request(current, fragments, outcome)
            if location is None:
                outcome.final_url = str(current)
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
        async with self.limiter.slot(host, self.global_slots, self.spaced_at_send):
            for method in methods:
                try:
                    location = await self._send(method, url, fragments, outcome)
                except (aiohttp.ClientError, TimeoutError, ValueError) as error:
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

    async def _send(self, method: str, url: URL, fragments: frozenset[str], outcome: Outcome) -> str | None:
        headers = github_authorization(url, self.token)
        async with self.session.request(
            method,
            url,
            headers=headers,
            allow_redirects=False,
            timeout=self.timeout,
            trace_request_ctx=(url.host or "") if self.spaced_at_send else None,
        ) as response:
            outcome.code = response.status
            outcome.cf_mitigated = response.headers.get("cf-mitigated")
            outcome.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if response.status in REDIRECTS and "Location" in response.headers:
                await self._drain(response)
                return response.headers["Location"]
            if fragments and 200 <= response.status < 300:
                await self._read_anchors(response, fragments, outcome)
            else:
                await self._drain(response)
            return None

    async def _drain(self, response: aiohttp.ClientResponse) -> None:
        # Reading a small known body keeps the connection reusable; anything else is dropped,
        # which closes the connection: an endless body is never downloaded.
        length = response.content_length
        if response.method != "HEAD" and length is not None and length <= DRAIN_LIMIT:
            await response.read()
        else:
            response.release()

    async def _read_anchors(
        self, response: aiohttp.ClientResponse, fragments: frozenset[str], outcome: Outcome
    ) -> None:
        content_type = response.headers.get("Content-Type", "")
        if "html" not in content_type.lower():
            response.release()
            return
        collector = AnchorCollector()
        decoder = codecs.getincrementaldecoder(_codec(response.charset))(errors="replace")
        received = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            received += len(chunk)
            collector.feed(decoder.decode(chunk))
            if all(has_anchor(collector.anchors, f) for f in fragments):
                break
            if received >= self.settings.max_body_bytes:
                outcome.body_truncated = True
                break
        response.release()
        outcome.anchors = collector.anchors


def _codec(charset: str | None) -> str:
    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:
        return "utf-8"
