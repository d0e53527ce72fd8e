"""Diagram usage: every `.mmd` in diagrams/ is included by a page, and every
included diagram exists."""

from __future__ import annotations

from pathlib import Path

from content.diagram_sources import diagram_includes
from content.site_pages import site_pages

from gates.finding import Finding


def diagram_usage(root: Path) -> list[Finding]:
    findings = []
    used: set[Path] = set()
    for page in site_pages(root):
        for include in diagram_includes(page):
            target = (root / include.target).resolve()
            used.add(target)
            if not target.is_file():
                findings.append(
                    Finding(page, include.line, f"included diagram {include.target} does not exist")
                )
    for diagram in sorted((root / "diagrams").glob("*.mmd")):
        if diagram.resolve() not in used:
            findings.append(Finding(diagram, 1, "diagram is not included by any page"))
    return findings
