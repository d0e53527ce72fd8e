"""The "Link health" page, generated at build time from the link checker's last report.

A thin MkDocs adapter: the page's Markdown comes from
scripts/linkcheck/report/health_page.py; this hook only adds it to the site's
files, so the page is never a file in docs/. Under `make serve` the report is
watched (scripts/preview/file_watch.py), so a new report (`make links`),
even the first one, rebuilds the site like an edit does.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import scripts_root  # noqa: F401  (makes scripts/ importable; see scripts_root.py)
from content.site_pages import page_of_file
from linkcheck.report.health_page import PAGE, REPO_ROOT, load_report, render_page, report_path
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from preview.builds import around_builds
from preview.file_watch import FileWatch

log = get_plugin_logger(__name__)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # Report sources are relative to the repository; only pages of this site get a link.
    page_for = functools.partial(
        page_of_file,
        root=REPO_ROOT,
        docs_dir=Path(config.docs_dir),
        is_page=lambda path: files.get_file_from_path(path) is not None,
    )
    content = render_page(load_report(report_path()), page_for)
    existing = files.get_file_from_path(PAGE)
    if existing is not None:
        print(f"link_health: docs/{PAGE} exists; the generated page replaces it", file=sys.stderr)
        files.remove(existing)
    files.append(File.generated(config, PAGE, content=content))
    return files


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    report = FileWatch(
        report_path(),
        watch=lambda path: server.watch(str(path), recursive=False),
        unwatch=lambda path: server.unwatch(str(path)),
        warn=log.warning,
    )
    report.arm()
    server.builder = around_builds(server.builder, after=report.arm)
    return server
