"""Check that every Mermaid diagram in the site parses.

Usage: python scripts/check_diagrams.py [--root DIR]

Prints one `file:line: message` per broken diagram and exits 1 if any is
broken; exits 0 with a count when all parse.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from content_gates import Finding
from diagram_sources import Diagram, all_diagrams

REPO_ROOT = Path(__file__).resolve().parent.parent
PARSER = Path(__file__).resolve().parent / "parse_diagrams.mjs"


def parse_all(diagrams: list[Diagram]) -> list[Finding]:
    """Parse each diagram with Mermaid under Node; return the ones that fail."""
    if not diagrams:
        return []
    request = [{"id": index, "source": d.source} for index, d in enumerate(diagrams)]
    completed = subprocess.run(
        ["node", str(PARSER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the Mermaid parser did not run: {completed.stderr.strip()}")
    failures = []
    for result in json.loads(completed.stdout):
        if result["ok"]:
            continue
        diagram = diagrams[result["id"]]
        line_in_source = result["line"] or 1
        message = result["error"].splitlines()[0]
        failures.append(Finding(diagram.path, diagram.first_line + line_in_source - 1, message))
    return failures


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
