"""One HTTP/1.1 connection: write a request, read the answer's head, then its body as the caller plans.

The bytes are parsed by llhttp (through httptools), the parser aiohttp uses, with
the leniencies aiohttp sets for responses, so a server gets the same reading it
got before; where httptools cannot be installed, by h11 (h11_parser.py). The
body is never buffered: each piece goes straight to the plan made from the head
(drop it with the connection, read it to keep the connection, or hand it to a
sink such as the anchor reader), so an endless body costs nothing but the bytes
read before the plan says stop.

Status, errors and when the exchange is over are reported through one future
per request; everything else happens in the loop's callbacks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

try:  # llhttp, in C: the parser aiohttp uses
    from httptools import HttpParserError, HttpParserUpgrade, HttpResponseParser
except ImportError:  # where httptools cannot be installed: h11, in pure Python, behind the same calls
    from linkcheck.h11_parser import (  # type: ignore[assignment]
        HttpParserError,
        HttpParserUpgrade,
        HttpResponseParser,
    )

# A head larger than this is not a web page's answer (browsers allow about as much).
HEAD_LIMIT: Final = 256 * 1024

# What to do with a body, decided from the head: drop it unread (which closes the
# connection), read and forget it (which keeps the connection), or give each piece to
# a sink that answers True once it has read enough.
DISCARD: Final = "discard"
DRAIN: Final = "drain"
BodySink = Callable[[bytes], bool]
BodyPlan = str | BodySink


class ReplyError(Exception):
    """The server's bytes are not a readable HTTP response."""


class ConnectionClosed(Exception):
    """The server closed or reset the connection before answering.

    `answered` says whether any byte of an answer had arrived: a kept-alive
    connection that the server closed while idle fails with answered False."""

    def __init__(self, message: str, answered: bool) -> None:
        super().__init__(message)
        self.answered = answered


class Head:
    """The status and headers of an answer (names in lower case; the first of repeated ones)."""

    __slots__ = ("headers", "status")

    def __init__(self, status: int, headers: dict[bytes, bytes]) -> None:
        self.status = status
        self.headers = headers

    def get(self, name: bytes) -> str | None:
        # HTTP header values are bytes; UTF-8 with escapes, as aiohttp decodes them.
        value = self.headers.get(name)
        return None if value is None else value.decode("utf-8", "surrogateescape")

    @property
    def content_length(self) -> int | None:
        try:
            return int(self.headers[b"content-length"])
        except (KeyError, ValueError):
            return None


class HttpConnection(asyncio.Protocol):
    """A connection for one request at a time. `reusable` is true between requests when the
    last answer was read to its end and neither side asked to close."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = False
        # Where it leads (scheme, host, port), and since when it has waited for reuse: the connector's.
        self.origin: tuple[str, str, int] = ("", "", 0)
        self.idle_since = 0.0
        self._parser: HttpResponseParser | None = None
        self._waiter: asyncio.Future[Head] | None = None
        self._head_only = False
        self._plan_for: Callable[[Head], BodyPlan] | None = None
        self._sink: BodySink | None = None
        self._headers: dict[bytes, bytes] = {}
        self._head: Head | None = None
        self._head_bytes = 0
        self._interim = False
        self._until_eof = False

    # --- the caller's side --------------------------------------------------------------------

    def request(
        self, data: bytes, head_only: bool, plan_for: Callable[[Head], BodyPlan]
    ) -> asyncio.Future[Head]:
        """Write one request; the future gives the head once the body is dealt with as planned.

        `plan_for` is called with the head as soon as it is read (not for a HEAD request, whose
        answer has no body) and returns DISCARD, DRAIN or a sink."""
        waiter: asyncio.Future[Head] = asyncio.get_running_loop().create_future()
        if self.closed or self.transport is None or self.transport.is_closing():
            waiter.set_exception(ConnectionClosed("the connection was closed", answered=False))
            return waiter
        self._waiter = waiter
        self._parser = HttpResponseParser(self)
        # aiohttp's leniencies for responses (see its _http_parser.pyx): no server answers worse.
        self._parser.set_dangerous_leniencies(
            lenient_headers=True, lenient_optional_cr_before_lf=True, lenient_spaces_after_chunk_size=True
        )
        self._head_only = head_only
        self._plan_for = plan_for
        self._sink = None
        self._headers = {}
        self._head = None
        self._head_bytes = 0
        self._interim = False
        self._until_eof = False
        self.reusable = False
        self.transport.write(data)
        return waiter

    def abort(self) -> None:
        """Drop the connection now (a timeout or a cancelled request leaves it mid-answer)."""
        self.reusable = False
        if self.transport is not None:
            self.transport.abort()

    # --- the loop's side ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self._waiter is None or self._waiter.done():
            return
        if self._head is not None and self._until_eof:
            # A body without a length ends when the server closes the connection.
            self._finish()
        elif self._head is not None:
            self._fail(ReplyError("the connection closed before the whole body arrived"))
        else:
            reason = f" ({exc})" if exc else ""
            self._fail(ConnectionClosed(f"the server closed the connection{reason}", self._head_bytes > 0))

    def data_received(self, data: bytes) -> None:
        if self._parser is None:
            # Bytes nobody asked for (after an answer ended): the connection is not to be trusted.
            self.abort()
            return
        if self._head is None:
            self._head_bytes += len(data)
            if self._head_bytes > HEAD_LIMIT:
                self._fail(ReplyError(f"the response head is longer than {HEAD_LIMIT // 1024} KiB"))
                self.abort()
                return
        try:
            self._parser.feed_data(data)
        except HttpParserUpgrade:
            self._fail(ReplyError("unexpected protocol upgrade"))
            self.abort()
        except HttpParserError as error:
            self._fail(ReplyError(str(error) or type(error).__name__))
            self.abort()

    # --- llhttp's callbacks -------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._headers = {}

    def on_header(self, name: bytes, value: bytes) -> None:
        # The first of repeated headers, as aiohttp's headers.get gives it.
        self._headers.setdefault(name.lower(), value)

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            # An interim answer (100 Continue, 103 Early Hints): the real one follows.
            self._interim = True
            return
        head = self._head = Head(status, self._headers)
        if self._head_only:
            # An answer to HEAD has no body whatever its headers say (llhttp cannot be told so):
            # the exchange ends here and this parser is dropped.
            self.reusable = self._parser.should_keep_alive()
            self._finish()
            return
        assert self._plan_for is not None
        plan = self._plan_for(head)
        if plan == DISCARD:
            self._finish()
            self.abort()
            return
        if plan != DRAIN:
            self._sink = plan  # type: ignore[assignment]
        self._until_eof = (
            b"content-length" not in head.headers
            and b"chunked" not in head.headers.get(b"transfer-encoding", b"").lower()
        )

    def on_body(self, body: bytes) -> None:
        if self._parser is None or self._waiter is None or self._waiter.done():
            # A body after an answer that has none (a HEAD's), or after a sink had enough.
            self.reusable = False
            return
        if self._sink is None:
            return
        try:
            enough = self._sink(body)
        except Exception as error:  # the body cannot be decoded (a broken gzip stream, say)
            self._fail(ReplyError(f"{type(error).__name__}: {error}"))
            self.abort()
            return
        if enough:
            self._finish()
            self.abort()

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        if self._parser is None or self._waiter is None or self._waiter.done():
            return
        self.reusable = self._parser.should_keep_alive()
        self._finish()

    # --- ending an exchange -------------------------------------------------------------------

    def _finish(self) -> None:
        waiter, head = self._waiter, self._head
        if waiter is not None and not waiter.done() and head is not None:
            waiter.set_result(head)
        self._parser = None  # a parser reads one answer

    def _fail(self, error: Exception) -> None:
        self.reusable = False
        self._parser = None
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(error)
