"""Check that every Mermaid diagram in the site parses.

Usage: python scripts/check_diagrams.py [--root DIR]

Prints one `file:line: message` per broken diagram and exits 1 if any is
broken; exits 0 with a count when all parse. The check itself is
scripts/gates/diagram_syntax.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from content.diagram_sources import all_diagrams
from gates.diagram_syntax import parse_all

REPO_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    diagrams = all_diagrams(args.root)
    failures = parse_all(diagrams)
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(diagrams) - len(failures)} of {len(diagrams)} diagrams parse.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
