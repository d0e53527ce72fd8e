"""Orphan pages: every page under docs/ is in mkdocs.yml's nav."""

from __future__ import annotations

from pathlib import Path

from content.site_config import load_config, nav_entries
from content.site_pages import docs_path, site_pages

from gates.finding import Finding


def orphan_pages(root: Path) -> list[Finding]:
    in_nav = {entry.path for entry in nav_entries(load_config(root))}
    return [
        Finding(page, 1, f"page is not in mkdocs.yml's nav (add `{docs_path(root, page)}` under its section)")
        for page in site_pages(root)
        if docs_path(root, page) not in in_nav
    ]
