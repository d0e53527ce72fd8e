"""Diagram syntax: every Mermaid diagram parses, with the same Mermaid library the
site ships, under Node (parse_diagrams.mjs) and without a browser."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from content.diagram_sources import Diagram

from gates.finding import Finding

REPO_ROOT = Path(__file__).resolve().parents[2]
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
