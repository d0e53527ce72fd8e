"""The two data files at the repository root that keep links from rotting.

- `redirects.yml`: written by hand, `old.md: new.md` (paths under docs/, the
  same shape as mkdocs-redirects' `redirect_maps`), one line per renamed,
  moved or merged page.
- `published-pages.txt`: every page ever published, one docs/ path a line. Only
  ever grows, except on purpose (scripts/record_published_pages.py --forget).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import yaml

REDIRECTS_FILE = "redirects.yml"
PUBLISHED_FILE = "published-pages.txt"
PUBLISHED_HEADER = (
    "# Every page this site has published, as its path under docs/, one a line.\n"
    "# A page listed here must stay a page or be redirected in redirects.yml\n"
    "# (scripts/gates/published_pages.py). Add new pages with `make published-pages`.\n"
)


class BadRedirects(ValueError):
    """redirects.yml is not a mapping of docs/ paths to docs/ paths."""


def _docs_path(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.endswith(".md"):
        raise BadRedirects(f"{where}: {value!r} is not a path to a Markdown page under docs/ (`a/b.md`)")
    normal = posixpath.normpath(value)
    if normal.startswith(("../", "/")) or normal == ".." or "://" in value:
        raise BadRedirects(f"{where}: {value!r} leaves docs/")
    return normal


def parse_redirects(text: str) -> dict[str, str]:
    """{old page: new page} from the text of redirects.yml (safe YAML)."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise BadRedirects(f"{REDIRECTS_FILE} must be a mapping `old.md: new.md`")
    return {
        _docs_path(old, REDIRECTS_FILE): _docs_path(new, f"{REDIRECTS_FILE} ({old})")
        for old, new in data.items()
    }


def load_redirects(root: Path) -> dict[str, str]:
    path = root / REDIRECTS_FILE
    return parse_redirects(path.read_text(encoding="utf-8")) if path.is_file() else {}


def parse_published(text: str) -> list[str]:
    pages = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            pages.append(line)
    return pages


def load_published(root: Path) -> list[str] | None:
    """The recorded pages, or None when the repository has no list yet."""
    path = root / PUBLISHED_FILE
    return parse_published(path.read_text(encoding="utf-8")) if path.is_file() else None


def write_published(root: Path, pages: set[str]) -> None:
    body = "".join(f"{page}\n" for page in sorted(pages))
    (root / PUBLISHED_FILE).write_text(PUBLISHED_HEADER + body, encoding="utf-8")
