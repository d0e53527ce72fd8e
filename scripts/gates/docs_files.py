"""Files under docs/: Markdown, images, and code only from a short allowlist.

Every file under docs/ is published as it is. A raw `.html`, `.js` or `.svg`
file runs on the site's origin with no Markdown gate reading it, so only the
files listed here may be code, and an SVG image only under docs/assets/images/
(the built-site check reads each one as a page). docs/includes/ holds Markdown
snippets and is not published (exclude_docs in mkdocs.yml).
"""

from __future__ import annotations

from pathlib import Path

from gates.finding import Finding

# Files that are code, by path under docs/: each one reviewed (CODEOWNERS covers docs/assets/).
CODE_FILES = frozenset(
    {
        "assets/javascripts/accessibility.js",
        "assets/stylesheets/accessibility.css",
        # Drawn diagrams: their font, the styles they are measured with, the full-size viewer.
        "assets/javascripts/diagrams.js",
        "assets/stylesheets/diagram-font.css",
        "assets/stylesheets/diagrams.css",
        "assets/stylesheets/diagram-viewer.css",
        # Paper: the light scheme and tall diagrams fitted when printing (the print edition).
        "assets/javascripts/print.js",
        "assets/stylesheets/print.css",
    }
)
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
SVG_FOLDER = "assets/images/"


def file_problem(relative: str) -> str | None:
    suffix = Path(relative).suffix.lower()
    if suffix == ".md" or relative in CODE_FILES or suffix in IMAGE_SUFFIXES:
        return None
    if suffix == ".svg":
        return None if relative.startswith(SVG_FOLDER) else f"an SVG image belongs under docs/{SVG_FOLDER}"
    return (
        f"{suffix or 'this'} file is published as it is; only Markdown, images and the code files "
        "listed in scripts/gates/docs_files.py may be under docs/"
    )


def docs_files(root: Path) -> list[Finding]:
    docs = root / "docs"
    findings = []
    for path in sorted(docs.rglob("*")):
        if path.is_file() and (problem := file_problem(path.relative_to(docs).as_posix())):
            findings.append(Finding(path, 1, problem))
    return findings
