"""Section index pages: each lists every page of its nav section.

A section whose first nav entry is `<folder>/index.md` opens on that page (the
navigation.indexes feature): its tab, and its entry in the phone menu, lead
there, and navigation.prune leaves the section's other pages out of every page
outside it. So the index page is how a reader on a phone reaches the section's
notes in two taps (tests/test_navigation.py): a note it does not link is one
they cannot reach.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from content.markdown_tokens import walk
from content.site_config import load_config, nav_entries
from content.site_pages import SECTION_INDEX

from gates.finding import Finding


def linked_pages(markdown: str, page_path: str) -> set[str]:
    """The docs/-relative path of every page the Markdown links to with a relative `.md` link."""
    folder = posixpath.dirname(page_path)
    linked = set()
    for located in walk(markdown):
        token = located.token
        if token.type != "link_open":
            continue
        parts = urlsplit(str(token.attrGet("href") or ""))
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            continue
        linked.add(posixpath.normpath(posixpath.join(folder, unquote(parts.path))))
    return linked


def section_index(root: Path) -> list[Finding]:
    sections: dict[str, list[str]] = {}
    for entry in nav_entries(load_config(root)):
        if entry.section is not None:
            sections.setdefault(entry.section, []).append(entry.path)
    findings = []
    for title, paths in sections.items():
        index = paths[0]
        if posixpath.basename(index) != SECTION_INDEX:
            continue
        page = root / "docs" / index
        if not page.is_file():
            continue  # mkdocs --strict and the orphan-pages gate report a missing page
        linked = linked_pages(page.read_text(encoding="utf-8"), index)
        findings.extend(
            Finding(
                page,
                1,
                f"the {title!r} section lists `{path}` in mkdocs.yml's nav, but its index page does not "
                f"link it (add `- [Title]({posixpath.relpath(path, posixpath.dirname(index))}): "
                "what it covers.`)",
            )
            for path in paths[1:]
            if path not in linked
        )
    return findings
