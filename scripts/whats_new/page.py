"""The What's new page, as Markdown: one section per month, newest first."""

from __future__ import annotations

import calendar
import html
import posixpath
from collections.abc import Callable

from whats_new.changes import Event, Kind, by_month
from whats_new.history import MINOR, TRAILER, HistoryState

TITLE = "What's new"
FEED_FILE = "feed.xml"
LABELS = {Kind.NEW: "New", Kind.CHANGED: "Changed"}
# Python-Markdown's backslash escapes, and the characters that open HTML.
_MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!<>&|")


def escape_markdown(text: str) -> str:
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def _month_name(month: tuple[int, int]) -> str:
    return f"{calendar.month_name[month[1]]} {month[0]}"


def page_markdown(
    events: list[Event],
    state: HistoryState,
    link: Callable[[str], str],
    *,
    feed_href: str,
    page_path: str = "whats-new.md",
) -> str:
    """`link(note_path)` gives the note's path under docs/ to link to (relative links are made
    here); `feed_href` is the feed's URL relative to the page (an HTML link: MkDocs would
    report a Markdown link to a file that is not a page)."""
    lines = [
        "---",
        f'title: "{TITLE}"',
        "description: New notes and notes that changed substantially, by month, from the site's history.",
        "---",
        "",
        f"# {TITLE}",
        "",
        "New notes, and notes that changed substantially (more than a fifth of the note), month by month.",
        f'Subscribe to the <a href="{html.escape(feed_href, quote=True)}">Atom feed</a>'
        " to hear of them in a feed reader.",
        "Small fixes are left out; an author marks a larger commit as minor with the trailer",
        f"`{TRAILER}: {MINOR}` in its message.",
        "",
    ]
    if state is HistoryState.MISSING:
        lines += [
            '!!! note "No history in this copy"',
            "    This copy of the site was built without its git history, so it cannot list what changed.",
            "    The published site has the full list.",
            "",
        ]
        return "\n".join(lines)
    if state is HistoryState.SHALLOW:
        lines += [
            '!!! note "Part of the history"',
            "    This copy was built from a shallow clone: changes older than its first commit are missing.",
            "",
        ]
    months = by_month(events)
    if not months:
        lines += ["Nothing yet.", ""]
    here = posixpath.dirname(page_path)
    for month, month_events in months:
        lines += [f"## {_month_name(month)}", ""]
        for event in month_events:
            target = posixpath.relpath(link(event.path), here or ".")
            lines.append(
                f"- **{LABELS[event.kind]}:** [{escape_markdown(event.title)}]({target})"
                f" ({event.date:%-d %B}): {escape_markdown(event.subject)}"
            )
        lines.append("")
    return "\n".join(lines)
