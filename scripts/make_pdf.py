"""Print the built site's print edition (print/) to one PDF with headless Chromium.

Usage: python scripts/make_pdf.py [--site DIR] [--output FILE] [--paper A4|Letter]

Build the site first (`make build`, or `make pdf`, which does both). Needs
Debian's Chromium (/usr/bin/chromium); nothing is fetched from any other host.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site", type=Path, default=REPO_ROOT / "site", help="the built site (default: %(default)s)"
    )
    parser.add_argument(
        "--output", type=Path, default=REPO_ROOT / "build/architecture-notes.pdf", help="default: %(default)s"
    )
    parser.add_argument(
        "--paper", choices=("A4", "Letter"), default="A4", help="paper size (default: %(default)s)"
    )
    parser.add_argument(
        "--chromium", type=Path, default=Path("/usr/bin/chromium"), help="default: %(default)s"
    )
    args = parser.parse_args(argv)
    if not (args.site / "print/index.html").is_file():
        print(
            f"make_pdf: no print edition in {args.site}: build the site first (make build)", file=sys.stderr
        )
        return 2
    if not args.chromium.is_file():
        print(f"make_pdf: no Chromium at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 2
    from print_edition.pdf import print_site

    result = print_site(args.site, args.output, paper=args.paper, chromium=args.chromium)
    print(f"wrote {result.path}: {result.pages} pages, {result.size / 1_048_576:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
