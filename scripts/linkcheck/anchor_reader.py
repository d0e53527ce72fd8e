"""The fragment targets an HTML page offers (every `id`, and `name` on anchors), read from its
body as it arrives: decompressed, decoded and parsed until every fragment asked for is found.

Imported only when a page is read for anchors: most runs never parse HTML.
"""

from __future__ import annotations

import codecs
import zlib
from html.parser import HTMLParser

from linkcheck.anchors import has_anchor


class AnchorCollector(HTMLParser):
    """Fed an HTML page chunk by chunk; `anchors` grows as targets appear."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag in ("a", "map", "iframe", "object"))):
                self.anchors.add(value)

    handle_startendtag = handle_starttag


def charset_of(content_type: str) -> str:
    """The codec named by a Content-Type's charset parameter; UTF-8 when it names none we know.
    (Parsed as aiohttp parses it: `;`-separated parameters, quotes stripped.)"""
    for item in content_type.split(";")[1:]:
        key, _, value = item.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip(' "')).name
            except LookupError:
                break
    return "utf-8"


class AnchorReader:
    """A body sink: reads anchors from the pieces of an HTML body, after undoing its
    Content-Encoding, until every one of `fragments` is found or `limit` bytes (decoded) are read.

    `feed` answers True when it has read enough; `truncated` says the limit was the reason."""

    def __init__(self, fragments: frozenset[str], limit: int, content_type: str, encoding: str) -> None:
        self.fragments = fragments
        self.limit = limit
        self.received = 0
        self.truncated = False
        self.collector = AnchorCollector()
        self.decoder = codecs.getincrementaldecoder(charset_of(content_type))(errors="replace")
        encoding = encoding.strip().lower()
        self.deflate = encoding == "deflate"
        self.decompressor: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self.decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)

    @property
    def anchors(self) -> set[str]:
        return self.collector.anchors

    def feed(self, piece: bytes) -> bool:
        if self.deflate and self.decompressor is None and piece:
            # RFC 9110's deflate is zlib-wrapped, but some servers send it raw (aiohttp tells them apart
            # by the first byte the same way).
            wrapped = piece[0] & 0x0F == 8
            self.decompressor = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        room = self.limit - self.received
        if self.decompressor is not None:
            data = self.decompressor.decompress(piece, room)
            # Input left over means the limit was reached: a compressed bomb stops here too.
            over = bool(self.decompressor.unconsumed_tail)
        else:
            data, over = piece[:room], len(piece) > room
        self.received += len(data)
        self.collector.feed(self.decoder.decode(data))
        if all(has_anchor(self.collector.anchors, f) for f in self.fragments):
            return True
        if over or self.received >= self.limit:
            self.truncated = True
            return True
        return False
