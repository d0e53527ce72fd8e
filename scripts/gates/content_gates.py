"""The content gates, by name, and a command that runs them all.

Each rule is a module of its own in this folder (its docstring says what it
catches): unsafe markup, image alt text, title heading, template leftovers,
rules of thumb and primary sources (checked page by page), and unsafe diagram
markup, diagram usage, orphan pages, acronyms, rendered markup, files under
docs, symlinks, environment in mkdocs.yml, nested snippets, snippet paths
and published pages (checked over the whole site).

Usage: python scripts/check_content.py [--root DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from content.site_pages import site_pages

from gates.acronyms import undefined_acronyms
from gates.config_env import config_env
from gates.diagram_usage import diagram_usage
from gates.docs_files import docs_files
from gates.finding import Finding
from gates.image_alt import images_without_alt
from gates.nested_snippets import nested_snippets
from gates.orphan_pages import orphan_pages
from gates.published_pages import published_pages
from gates.rendered_markup import rendered_markup
from gates.section_index import section_index
from gates.snippet_paths import snippet_paths
from gates.sourcing import primary_sources, rules_of_thumb
from gates.symlinks import symlinks
from gates.template_leftovers import template_leftovers
from gates.title_heading import title_heading
from gates.unsafe_markup import unsafe_diagram_markup, unsafe_markup

REPO_ROOT = Path(__file__).resolve().parents[2]

PAGE_GATES: dict[str, Callable[[Path], list[Finding]]] = {
    "unsafe markup": unsafe_markup,
    "image alt text": images_without_alt,
    "title heading": title_heading,
    "template leftovers": template_leftovers,
    "rules of thumb": rules_of_thumb,
    "primary sources": primary_sources,
}
SITE_GATES: dict[str, Callable[[Path], list[Finding]]] = {
    "unsafe diagram markup": unsafe_diagram_markup,
    "diagram usage": diagram_usage,
    "orphan pages": orphan_pages,
    "section index pages": section_index,
    "acronyms": undefined_acronyms,
    "rendered markup": rendered_markup,
    "files under docs": docs_files,
    "symlinks": symlinks,
    "environment in mkdocs.yml": config_env,
    "nested snippets": nested_snippets,
    "snippet paths": snippet_paths,
    "published pages": published_pages,
}


def run_gate(name: str, root: Path) -> list[Finding]:
    if name in PAGE_GATES:
        return [finding for page in site_pages(root) for finding in PAGE_GATES[name](page)]
    return SITE_GATES[name](root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the content gates over the pages and diagrams.")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    failed = 0
    if not (args.root / "mkdocs.yml").is_file():
        print(f"content_gates: no mkdocs.yml in {args.root}", file=sys.stderr)
        return 2
    for name in [*PAGE_GATES, *SITE_GATES]:
        findings = run_gate(name, args.root)
        failed += len(findings)
        for finding in findings:
            print(f"{finding} [{name}]", file=sys.stderr)
        print(f"{name}: {'ok' if not findings else f'{len(findings)} problems'}")
    return 1 if failed else 0
