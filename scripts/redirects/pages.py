"""What the site holds now, and the small HTML page that sends an old URL to the new one."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from content.site_config import nav_entries
from content.site_pages import docs_path, site_pages
from csp.policy import script_hash

from redirects.published import REDIRECTS_FILE, BadRedirects
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
            raise BadRedirects(f"redirects.yml loops: {' -> '.join([*seen, target])}")
        seen.add(target)
        target = redirects[target]
    return target


# The redirect page's one script: it sends the reader on with the old URL's
# #fragment, which a meta refresh would drop. The same text in every redirect
# page, so one hash allows it; the new page's URL comes from the page's link.
FRAGMENT_SCRIPT = 'location.replace(document.getElementById("new-url").href + location.hash);'


def check_targets(redirects: dict[str, str], is_page: Callable[[str], bool]) -> None:
    """Raise BadRedirects unless every old page is gone and every redirect ends at a page
    (`is_page`: whether a docs/ path is a page of this build)."""
    for old in redirects:
        if is_page(old):
            raise BadRedirects(f"{REDIRECTS_FILE}: {old} is still a page; its redirect would overwrite it")
        target = final_target(old, redirects)
        if not is_page(target):
            raise BadRedirects(f"{REDIRECTS_FILE}: {old} redirects to {target}, which is not a page")


def redirect_policy() -> str:
    """The redirect page's Content-Security-Policy: nothing to load, and no script but its own."""
    return f"default-src 'none'; script-src {script_hash(FRAGMENT_SCRIPT)}"


def redirect_html(target: str, canonical: str | None) -> str:
    """A page that sends the reader on at once to `target`, keeping the old URL's #fragment:
    by its one script (allowed by hash), or without script by a meta refresh (which cannot
    keep the fragment), with a canonical link for search engines and a plain link as the
    fallback. The refresh is in <noscript> so that it cannot overtake the script's redirect."""
    href = html.escape(target, quote=True)
    canonical_link = (
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">\n' if canonical else ""
    )
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>This page has moved</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{redirect_policy()}">\n'
        f"{canonical_link}"
        f'<noscript><meta http-equiv="refresh" content="0; url={href}"></noscript>\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a id="new-url" href="{href}">{href}</a>.</p>\n'
        f"<script>{FRAGMENT_SCRIPT}</script>\n"
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


def write_pages(site: Path, pages: dict[str, str]) -> None:
    """Write each redirect page ({path in the site: HTML}) into the built site at `site`."""
    for relative, page in pages.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
