"""The Atom feed (RFC 4287) of the same events as the page, newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from whats_new.changes import Event, by_month
from whats_new.page import LABELS

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _tag_uri(site_url: str, event: Event) -> str:
    """A permanent id (RFC 4151 tag URI): the site's host, the day, the note and the commit."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{event.date:%Y-%m-%d}:{event.path}@{event.sha[:12]}"


def atom_feed(
    events: list[Event],
    *,
    site_url: str,
    site_name: str,
    author: str,
    note_url: Callable[[str], str],
    page_url: str,
    feed_url: str,
    built: datetime | None = None,
) -> bytes:
    """`note_url(path)` gives a note's URL relative to the site root."""
    ET.register_namespace("", ATOM)
    entries = [event for _, month_events in by_month(events) for event in month_events]
    entries.sort(key=lambda event: event.date, reverse=True)
    entries = entries[:MAX_ENTRIES]
    updated = entries[0].date if entries else (built or datetime.now(UTC))
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", urljoin(site_url, feed_url))
    _sub(feed, "title", f"{site_name}: what's new")
    _sub(feed, "subtitle", "New notes and notes that changed substantially.")
    _sub(feed, "updated", updated.isoformat())
    _sub(_sub(feed, "author"), "name", author)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=urljoin(site_url, feed_url))
    _sub(feed, "link", rel="alternate", type="text/html", href=urljoin(site_url, page_url))
    for event in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", _tag_uri(site_url, event))
        _sub(entry, "title", f"{LABELS[event.kind]}: {event.title}")
        _sub(entry, "updated", event.date.isoformat())
        _sub(entry, "link", rel="alternate", type="text/html", href=urljoin(site_url, note_url(event.path)))
        _sub(entry, "summary", event.subject)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
