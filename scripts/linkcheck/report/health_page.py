"""The "Link health" page's Markdown, from the link checker's last JSON report.

`make links` (scripts/check_links.py on the whole site) writes the report
(`report_path` in linkcheck.toml, under .cache/ which git ignores); this turns it
into a page listing, note by note, what is dead, moved or blocked. With no
report the page says so plainly. scripts/hooks/link_health.py adds the page to
the site at build time; it is never a file in docs/.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
PAGE = "link-health.md"
DEFAULT_REPORT = ".cache/linkcheck/last-report.json"
# What a reader of a note can act on; ok, excluded and unreachable links are only counted.
SECTIONS = (
    ("dead", "Dead"),
    ("invalid", "Malformed"),
    ("redirected", "Moved"),
    ("blocked", "Blocked for robots"),
)
TABLE_HEAD = "| verdict | link | line | note |\n| --- | --- | ---: | --- |\n"
FRONT_MATTER = """---
title: Link health
description: Which external references in the notes are dead, moved or blocked, from the last link check.
---

# Link health

"""


def report_path(root: Path = REPO_ROOT) -> Path:
    """Where the checker writes its last report, as linkcheck.toml says (without importing it)."""
    try:
        configured = tomllib.loads((root / "linkcheck.toml").read_text(encoding="utf-8")).get("report_path")
    except (OSError, tomllib.TOMLDecodeError):
        configured = None
    path = Path(configured if isinstance(configured, str) else DEFAULT_REPORT)
    return path if path.is_absolute() else root / path


def load_report(path: Path) -> dict[str, Any] | None:
    """The report's data, or None when there is none or it is not a report we can read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != 1 or not isinstance(data.get("links"), list):
        return None
    return data


# Everything in the report came from the checker's run, and messages and URLs
# from remote servers: untrusted text. It goes into the page's Markdown as plain
# characters, each one that Markdown or HTML could read as syntax written as a
# numeric character reference, which both pass through as text.
PLAIN = re.compile(r"[A-Za-z0-9 ,.;:/?=%+-]")
# A URL that may become a link: http(s), and only characters that cannot close
# an autolink or start markup.
SAFE_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")


def _text(value: object) -> str:
    """`value` as literal text in Markdown: no markup, no HTML, no line break, no table cell end."""
    return "".join(ch if PLAIN.fullmatch(ch) else f"&#{ord(ch)};" for ch in " ".join(str(value).split()))


def _url(value: object) -> str:
    """A link to `value` if it is a plain http(s) URL, else its text."""
    url = str(value)
    return f"<{url}>" if SAFE_URL.fullmatch(url) else _text(url)


def _note_heading(file: str, page_for: Callable[[str], str | None]) -> str:
    # page_for only answers with a page that exists in this build.
    # A heading is also a tooltip in the table of contents, which Material shows
    # as HTML: even escaped, no angle bracket may reach it.
    page = page_for(file)
    return f"## [{page}]({page})" if page else f"## {_text(file.replace('<', '?').replace('>', '?'))}"


def render_page(report: dict[str, Any] | None, page_for: Callable[[str], str | None]) -> str:
    """The page's Markdown. `page_for` maps a report's source file to a docs-relative page, or None."""
    if report is None:
        return FRONT_MATTER + (
            "No link report is present, so this build cannot say how the references are doing. "
            "Run `make links` to check every external link, then build the site again.\n"
        )
    summary = report.get("summary", {})
    counts = summary.get("by_status", {})
    when = _text(str(report.get("generated_at", "an unknown date"))[:10])
    total = _text(summary.get("total", len(report["links"])))
    text = FRONT_MATTER + (
        f"From the link check of {when}: {total} external links, "
        + ", ".join(f"{_text(n)} {_text(status)}" for status, n in counts.items() if n)
        + ".\n\n"
    )
    by_file: dict[str, list[tuple[str, dict[str, Any], int]]] = {}
    for link in report["links"]:
        if link.get("status") not in dict(SECTIONS):
            continue
        for source in link.get("sources", []):
            by_file.setdefault(source["file"], []).append((link["status"], link, source["line"]))
    if not by_file:
        return text + "Every link that was checked works: nothing is dead, moved or blocked.\n"
    order = {status: i for i, (status, _) in enumerate(SECTIONS)}
    # The site's own notes first, then the other files the checker reads (README, CONTRIBUTING).
    for file in sorted(by_file, key=lambda f: (page_for(f) is None, f)):
        text += _note_heading(file, page_for) + "\n\n" + TABLE_HEAD
        for status, link, line in sorted(by_file[file], key=lambda item: (order[item[0]], item[2])):
            note = _text(link.get("message") or "")
            if status == "redirected" and link.get("final_url"):
                note = f"now {_url(link['final_url'])}"
            if status == "dead" and link.get("wayback"):
                note += f" (archived copies: {_url(link['wayback'])})"
            text += f"| {dict(SECTIONS)[status]} | {_url(link['url'])} | {_text(line)} | {note} |\n"
        text += "\n"
    return text
