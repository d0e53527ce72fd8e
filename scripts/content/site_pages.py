"""Which Markdown files under docs/ are pages, and which of those are notes.

A note lives in a section folder (`docs/<section>/<slug>.md`); the top-level
pages (home, glossary, tags) are not notes, and neither is a section's index
page (`docs/<section>/index.md`), which lists the section's notes. docs/includes/ holds snippets
appended to pages, and docs/assets/ holds vendored files: neither is a page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

NOT_PAGES = ("includes", "assets")


def site_pages(root: Path) -> list[Path]:
    docs = root / "docs"
    return sorted(path for path in docs.rglob("*.md") if path.relative_to(docs).parts[0] not in NOT_PAGES)


SECTION_INDEX = "index.md"


def is_note_path(relative: str) -> bool:
    """Whether the page at `relative` (to docs/, with slashes) is a note."""
    folder, _, name = relative.rpartition("/")
    return bool(folder) and name != SECTION_INDEX


def is_note(root: Path, page: Path) -> bool:
    return is_note_path(page.relative_to(root / "docs").as_posix())


def notes(root: Path) -> list[Path]:
    return [page for page in site_pages(root) if is_note(root, page)]


def docs_path(root: Path, page: Path) -> str:
    """The page's path relative to docs/, as mkdocs.yml's nav writes it."""
    return page.relative_to(root / "docs").as_posix()


def page_of_file(file: str, root: Path, docs_dir: Path, is_page: Callable[[str], bool]) -> str | None:
    """The page (path relative to `docs_dir`, with slashes) that `file`, a path relative to
    the repository `root`, is; None for a file outside docs_dir or one `is_page` refuses."""
    try:
        relative = (root / file).resolve().relative_to(docs_dir.resolve()).as_posix()
    except ValueError:
        return None
    return relative if is_page(relative) else None
