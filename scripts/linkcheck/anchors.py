"""Fragments: which ones name an anchor, and whether a page's anchors include one.

(The anchors themselves are read from a page's body by anchor_reader.py.)"""

from __future__ import annotations

from urllib.parse import unquote


def checkable_fragment(fragment: str) -> bool:
    """Whether a fragment names an anchor at all: text fragments (`:~:text=`), hash-bang and
    client-side routes (`#/path`) are read by scripts, not by id."""
    return bool(fragment) and not fragment.startswith((":~:", "!", "/")) and "=" not in fragment


def has_anchor(anchors: set[str], fragment: str) -> bool:
    # GitHub renders README headings as `user-content-<slug>` and maps the bare fragment with script.
    candidates = {fragment, unquote(fragment)}
    return any(c in anchors or f"user-content-{c}" in anchors for c in candidates)
