"""The "Link health" page, generated at build time from the link checker's last report.

A thin MkDocs adapter: the page's Markdown comes from
scripts/linkcheck/report/health_page.py; this hook only adds it to the site's
files, so the page is never a file in docs/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from linkcheck.report.health_page import PAGE, REPO_ROOT, load_report, render_page, report_path
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs_dir = Path(config.docs_dir).resolve()

    def page_for(source: str) -> str | None:
        # Report sources are relative to the repository; only pages of this site get a link.
        try:
            relative = (REPO_ROOT / source).resolve().relative_to(docs_dir).as_posix()
        except ValueError:
            return None
        return relative if files.get_file_from_path(relative) is not None else None

    content = render_page(load_report(report_path()), page_for)
    existing = files.get_file_from_path(PAGE)
    if existing is not None:
        print(f"link_health: docs/{PAGE} exists; the generated page replaces it", file=sys.stderr)
        files.remove(existing)
    files.append(File.generated(config, PAGE, content=content))
    return files
