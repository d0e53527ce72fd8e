"""The print edition (print/): every page of the nav, in order, on one page.

A thin MkDocs adapter over scripts/print_edition/. MkDocs renders every page's
Markdown before it writes any page, so when the print page's turn comes to be
written (on_page_context) every other page's HTML is final, diagrams and
"Referenced by" included. Listed last among the hooks for that reason.
"""

from __future__ import annotations

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from print_edition.assemble import PrintedPage, assemble
from print_edition.page import LEFT_OUT, PAGE, PDF_FILE, PLACEHOLDER, PREVIEW_NOTICE, page_markdown
from redirects.urls import output_path, relative_url

# MkDocs tells every build its command (on_startup) once; a copy of this hook
# that live_preview.py runs again after an edit is serving.
_command = "serve"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_files(files: Files, config: MkDocsConfig) -> Files:
    existing = files.get_file_from_path(PAGE)
    if existing is not None:
        files.remove(existing)
    pdf_href = relative_url(output_path(PAGE, config.use_directory_urls), PDF_FILE)
    files.append(File.generated(config, PAGE, content=page_markdown(pdf_href)))
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    if page.file.src_uri != PAGE:
        return context
    if _command == "serve":
        assert page.content is not None
        page.content = page.content.replace(PLACEHOLDER, PREVIEW_NOTICE)
        return context
    printed = [
        PrintedPage(
            url=other.url,
            title=other.title or "",
            section=other.parent.title if other.parent is not None else None,
            content=other.content or "",
        )
        for other in nav.pages
        if other.file.src_uri not in LEFT_OUT and other.file.src_uri != PAGE
    ]
    body = assemble(printed, page.url)
    assert page.content is not None and page.content.count(PLACEHOLDER) == 1, "print page placeholder"
    page.content = page.content.replace(PLACEHOLDER, body)
    return context
