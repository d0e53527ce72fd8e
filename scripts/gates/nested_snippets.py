"""No snippet lines in diagrams or includes: a `.mmd` file or a file of
docs/includes/ is itself a snippet, and a `--8<--` line in it would pull in
another file that no gate reads as a diagram or as Markdown."""

from __future__ import annotations

from pathlib import Path

from gates.finding import Finding

SNIPPET_MARKER = "--8<--"


def nested_snippets(root: Path) -> list[Finding]:
    files = sorted((root / "diagrams").glob("*.mmd")) + sorted((root / "docs/includes").rglob("*"))
    findings = []
    for path in files:
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SNIPPET_MARKER in line:
                findings.append(Finding(path, number, "snippet line in a snippet: write the content here"))
    return findings
