"""Lint the site's Markdown with pymarkdownlnt, configured for Material in .pymarkdown.json.

Usage: python scripts/check_markdown.py [--root DIR] [FILE ...]

With no files, lints every page under docs/ (not docs/includes/ or docs/assets/).
Prints one `file:line:column: RULE: message` per problem and exits 1 if any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from content.site_pages import site_pages
from pymarkdown.api import PyMarkdownApi, PyMarkdownApiException

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / ".pymarkdown.json"


def lint(paths: list[Path], config: Path = CONFIG) -> list[str]:
    problems = []
    for path in paths:
        api = PyMarkdownApi().configuration_file_path(str(config))
        result = api.scan_path(str(path))
        problems.extend(
            f"{failure.scan_file}:{failure.line_number}:{failure.column_number}: "
            f"{failure.rule_id}: {failure.rule_description}"
            + (f" [{failure.extra_error_information}]" if failure.extra_error_information else "")
            for failure in result.scan_failures
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lint Markdown with the site's pymarkdownlnt settings.")
    parser.add_argument("files", nargs="*", type=Path, help="files to lint (default: every page under docs/)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    paths = args.files or site_pages(args.root)
    try:
        problems = lint(paths)
    except PyMarkdownApiException as error:
        print(f"markdown_lint: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(paths)} files linted, {len(problems)} problems.")
    return 1 if problems else 0
