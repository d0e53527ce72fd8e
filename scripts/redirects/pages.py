"""What the site holds now, and the small HTML page that sends an old URL to the new one."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from content.site_config import nav_entries
from content.site_pages import docs_path, site_pages

from redirects.urls import output_path, page_url, relative_url


def current_pages(root: Path, config: dict[str, Any]) -> set[str]:
    """Every page the site builds: the Markdown files under docs/ and the nav's
    entries (which include pages generated at build time, such as Link health)."""
    in_docs = {docs_path(root, page) for page in site_pages(root)}
    in_nav = {entry.path for entry in nav_entries(config) if entry.path.endswith(".md")}
    return in_docs | in_nav


def final_target(old: str, redirects: dict[str, str]) -> str:
    """Follow a chain of redirects (a page renamed twice) to its end."""
    seen = {old}
    target = redirects[old]
    while target in redirects:
        if target in seen:
            raise ValueError(f"redirects.yml loops: {' -> '.join([*seen, target])}")
        seen.add(target)
        target = redirects[target]
    return target


def redirect_html(target: str, canonical: str | None) -> str:
    """A page that sends the reader on at once, with no script: a meta refresh,
    a canonical link for search engines, and a plain link as the fallback.
    (A #fragment of the old URL is not carried over: that needs a script.)"""
    href = html.escape(target, quote=True)
    canonical_link = (
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">\n' if canonical else ""
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>This page has moved</title>\n"
        '<meta name="robots" content="noindex">\n'
        # Nothing to run or load here: the strictest policy.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">\n'
        f"{canonical_link}"
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{href}">{href}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def redirect_pages(
    redirects: dict[str, str], *, use_directory_urls: bool = True, site_url: str | None = None
) -> dict[str, str]:
    """{output path of each old page: its redirect page's HTML}."""
    pages = {}
    for old in redirects:
        written_at = output_path(old, use_directory_urls)
        target_url = page_url(final_target(old, redirects), use_directory_urls)
        canonical = site_url.rstrip("/") + "/" + target_url if site_url else None
        pages[written_at] = redirect_html(relative_url(written_at, target_url), canonical)
    return pages
