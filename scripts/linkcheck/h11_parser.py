"""The pure-Python response parser, for where httptools (llhttp, in C) cannot be installed.

h11 reads the bytes; this class hands what it reads to the connection through the
same callbacks and methods as httptools' HttpResponseParser, so http_connection.py
has one code path for both. Like llhttp, the parser is told nothing of the request:
an answer to HEAD ends at its head because the connection stops there. h11 is as
strict as llhttp with aiohttp's leniencies on the hostile cases the tests hold
(garbage status lines, header lines without a colon, bare LF line ends,
1xx answers, conflicting lengths); it is slower, being Python.
"""

from __future__ import annotations

from typing import Any

import h11

# The connection caps a response head itself (http_connection.HEAD_LIMIT); h11's own cap,
# 16 KiB by default, must not be the lower one.
H11_HEAD_LIMIT = 1024 * 1024


class HttpParserError(Exception):
    """The bytes are not an HTTP response (httptools' name for it)."""


class HttpParserUpgrade(Exception):
    """The server switched protocols (httptools' name for it)."""


class HttpResponseParser:
    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._connection = h11.Connection(h11.CLIENT, max_incomplete_event_size=H11_HEAD_LIMIT)
        # h11 reads an answer only after a request: a stand-in one (what was really sent
        # does not change how the answer is framed, except HEAD, which the connection handles).
        self._connection.send(h11.Request(method="GET", target="/", headers=[("Host", "-")]))
        self._connection.send(h11.EndOfMessage())
        self._status = 0
        self._keep_alive = False

    def set_dangerous_leniencies(self, **_: bool) -> None:
        """httptools' switches; h11 has none (and needs none for the cases they cover)."""

    def get_status_code(self) -> int:
        return self._status

    def should_keep_alive(self) -> bool:
        return self._keep_alive

    def feed_data(self, data: bytes) -> None:
        self._connection.receive_data(bytes(data))
        protocol = self._protocol
        while True:
            try:
                event = self._connection.next_event()
            except h11.RemoteProtocolError as error:
                raise HttpParserError(str(error)) from None
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.InformationalResponse | h11.Response):
                if event.status_code == 101:
                    raise HttpParserUpgrade(0)
                self._status = event.status_code
                self._keep_alive = _keeps_alive(event)
                protocol.on_message_begin()
                for name, value in event.headers.raw_items():
                    protocol.on_header(name, value)
                protocol.on_headers_complete()
                if isinstance(event, h11.InformationalResponse):
                    protocol.on_message_complete()
            elif isinstance(event, h11.Data):
                protocol.on_body(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                protocol.on_message_complete()
                return


def _keeps_alive(response: h11.InformationalResponse | h11.Response) -> bool:
    # llhttp's rule: the body has a known end, and neither HTTP/1.0 nor "Connection: close"
    # says the server will close.
    headers = {name: value.lower() for name, value in response.headers}
    framed = (
        b"content-length" in headers
        or b"chunked" in headers.get(b"transfer-encoding", b"")
        or response.status_code in (204, 304)
        or response.status_code < 200
    )
    tokens = {token.strip() for token in headers.get(b"connection", b"").split(b",")}
    if response.http_version == b"1.0":
        return framed and b"keep-alive" in tokens
    return framed and b"close" not in tokens
