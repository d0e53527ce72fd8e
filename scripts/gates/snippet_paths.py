"""Snippet paths: a page's snippets read only diagrams/ and docs/includes/
(content/snippet_reads.py runs pymdownx's own preprocessor to see what it reads)."""

from __future__ import annotations

from pathlib import Path

from content.site_pages import site_pages
from content.snippet_reads import ALLOWED_FOLDERS, outside_allowed, snippet_reads

from gates.finding import Finding


def _line_of(page: Path, asked: str) -> int:
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if "8<-" in line and asked in line:
            return number
    return 1


def snippet_paths(root: Path) -> list[Finding]:
    findings = []
    for page in site_pages(root):
        text = page.read_text(encoding="utf-8")
        if "8<-" not in text:
            continue
        for asked, real in outside_allowed(snippet_reads(text, root), root):
            findings.append(
                Finding(
                    page,
                    _line_of(page, asked),
                    f"snippet {asked} reads {real}: snippets may read only {' and '.join(ALLOWED_FOLDERS)}/",
                )
            )
    return findings
