"""The "Link health" page, generated at build time from the link checker's last report.

A thin MkDocs adapter: the page's Markdown comes from
scripts/linkcheck/report/health_page.py; this hook only adds it to the site's
files, so the page is never a file in docs/. Under `make serve` a new report
(`make links`) rebuilds the site like an edit does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from linkcheck.report.health_page import PAGE, REPO_ROOT, load_report, render_page, report_path
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
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


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    # Watch the report itself, not its folder: the checker's cache beside it changes
    # with every verdict during a run. Until a first report exists, only the folder can be watched.
    report = report_path()
    if report.is_file():
        server.watch(str(report), recursive=False)
    else:
        report.parent.mkdir(parents=True, exist_ok=True)
        server.watch(str(report.parent), recursive=False)
    return server
