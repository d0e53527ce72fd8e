"""Record the site's pages in published-pages.txt (the list the published-pages gate keeps).

Usage: python scripts/record_published_pages.py [--forget PATH ...] [--root DIR]

Adds every page the site has now; a page already listed stays listed even if it
is gone, because its old URL must keep working (redirect it in redirects.yml).
Only --forget drops a page from the list: do that on purpose, when its URL
should stop working.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from content.site_config import load_config
from redirects.pages import current_pages
from redirects.published import PUBLISHED_FILE, load_published, write_published

REPO_ROOT = Path(__file__).resolve().parent.parent


def record(root: Path, forget: list[str]) -> tuple[set[str], set[str]]:
    """Write the list; return (pages added, pages forgotten)."""
    listed = set(load_published(root) or [])
    pages = current_pages(root, load_config(root))
    unknown = [page for page in forget if page not in listed]
    if unknown:
        raise SystemExit(f"record_published_pages: not in {PUBLISHED_FILE}: {', '.join(unknown)}")
    added = pages - listed
    kept = (listed | pages) - set(forget)
    write_published(root, kept)
    return added, set(forget)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--forget", action="append", default=[], metavar="PATH", help="drop a page (docs/ path)"
    )
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    added, forgotten = record(args.root, args.forget)
    for page in sorted(added):
        print(f"recorded {page}")
    for page in sorted(forgotten):
        print(f"forgot {page}", file=sys.stderr)
    if not added and not forgotten:
        print(f"{PUBLISHED_FILE} already lists every page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
