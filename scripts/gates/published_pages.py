"""Published pages: no change may remove or rename a page that was published
without a redirect, so links to this site do not rot.

The pages ever published are listed in published-pages.txt; the site now is
the Markdown files under docs/ and the nav's entries. Each listed page must
still be a page, or be redirected in redirects.yml to one that is. A redirect
must lead to a page and must not shadow a page that still exists. A page not
yet listed is reported too, so the list cannot fall behind the site:
`make published-pages` records it.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from content.site_config import load_config
from redirects.pages import current_pages, final_target
from redirects.published import (
    PUBLISHED_FILE,
    REDIRECTS_FILE,
    BadRedirects,
    load_published,
    load_redirects,
)

from gates.finding import Finding

RECORD = "run `make published-pages` to record it"


def _lines_of_keys(path: Path) -> dict[str, int]:
    """The 1-based line of each top-level key of a YAML mapping file."""
    if not path.is_file():
        return {}
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def _lines_of_pages(path: Path) -> dict[str, int]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return {line.strip(): number for number, line in enumerate(lines, start=1)}


def published_pages(root: Path) -> list[Finding]:
    published_file, redirects_file = root / PUBLISHED_FILE, root / REDIRECTS_FILE
    try:
        redirects = load_redirects(root)
    except (BadRedirects, yaml.YAMLError) as error:
        return [Finding(redirects_file, 1, str(error))]
    published = load_published(root)
    if published is None:
        return [Finding(published_file, 1, f"no list of published pages: {RECORD}")]
    pages = current_pages(root, load_config(root))
    page_lines, redirect_lines = _lines_of_pages(published_file), _lines_of_keys(redirects_file)
    findings = []
    for page in published:
        if page not in pages and page not in redirects:
            findings.append(
                Finding(
                    published_file,
                    page_lines.get(page, 1),
                    f"{page} was published and is gone: restore it, or redirect its old URL to the page "
                    f"that replaces it with `{page}: <new path>.md` in {REDIRECTS_FILE}",
                )
            )
    for old in redirects:
        line = redirect_lines.get(old, 1)
        if old in pages:
            findings.append(
                Finding(redirects_file, line, f"{old} is still a page: its redirect would hide it")
            )
            continue
        try:
            target = final_target(old, redirects)
        except ValueError as error:
            findings.append(Finding(redirects_file, line, str(error)))
            continue
        if target not in pages:
            findings.append(
                Finding(redirects_file, line, f"{old} redirects to {target}, which is not a page")
            )
    recorded = set(published)
    findings += [
        Finding(published_file, 1, f"{page} is a page but not in {PUBLISHED_FILE}: {RECORD}")
        for page in sorted(pages - recorded)
    ]
    return findings
