"""`make serve` shows every edit that shapes a page without a restart: a diagram, an
include, a hook, a module a hook imports and the link checker's report.

One `mkdocs serve` on 127.0.0.1 runs over a copy of the site; each test edits one
file of the copy and polls the served page until the change shows, then checks
that the live-reload poll a browser page makes says "reload".
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from site_build import REPO_ROOT, offline_env

# What a served site needs; node_modules is linked, not copied.
SITE_SOURCES = (
    "mkdocs.yml",
    "docs",
    "diagrams",
    "overrides",
    "scripts",
    "linkcheck.toml",
    "package.json",
    # Read by the redirect hook and the published-pages gate.
    "redirects.yml",
    "published-pages.txt",
)
FIRST_BUILD_SECONDS = 240
CHANGE_SECONDS = 120
LIVE_RELOAD_CALL = re.compile(r"livereload\((\d+), (\d+)\)")


@dataclass
class LiveSite:
    root: Path
    origin: str  # http://127.0.0.1:<port>
    base: str  # the site's path under the origin, from site_url
    process: subprocess.Popen[bytes]
    log: Path  # what the server printed, for a failure to show

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def get(self, page: str) -> str:
        with urllib.request.urlopen(f"{self.origin}{self.base}{page}", timeout=CHANGE_SECONDS) as response:
            return response.read().decode("utf-8")

    def wait_for(self, page: str, text: str, seconds: float = CHANGE_SECONDS) -> tuple[float, str]:
        """Seconds until `text` is in the served page, and the page."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve stopped:\n{self.output()}")
            try:
                html = self.get(page)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                html = ""
            if text in html:
                return time.monotonic() - started, html
            time.sleep(0.1)
        pytest.fail(
            f"{text!r} never appeared in {page} within {seconds:g} s; the server said:\n{self.output()}"
        )

    def reload_asked(self, html_before: str) -> bool:
        """Whether the live-reload poll of a page served before the edit now says to reload."""
        epoch, request = LIVE_RELOAD_CALL.search(html_before).groups()  # type: ignore[union-attr]
        with urllib.request.urlopen(f"{self.origin}/livereload/{epoch}/{request}", timeout=60) as response:
            return int(response.read()) > int(epoch)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_site(root: Path) -> None:
    """Copy what builds the site into `root`, sharing the installed node_modules."""
    for name in SITE_SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    root = tmp_path_factory.mktemp("live")
    copy_site(root)
    assert not (root / ".cache").exists(), "the copy starts with no link report"
    port = free_port()
    # To a file, not a pipe: nothing reads a pipe while the tests run, and a full one would stop the server.
    log = tmp_path_factory.mktemp("live-log") / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env=offline_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    site = LiveSite(root, f"http://127.0.0.1:{port}", "/architecture-notes/", process, log)
    try:
        site.wait_for("", "<h1", FIRST_BUILD_SECONDS)
        time.sleep(1)  # let the watcher settle on the copy before the first edit
        yield site
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_a_diagram_edit_is_served_and_reloads_the_page(live_site: LiveSite):
    page = "foundations/coupling/"
    before = live_site.get(page)
    # The new node's text shows whether the page carries the Mermaid source or a drawn SVG.
    edit(
        live_site.root / "diagrams/coupling-cascade.mmd",
        "flowchart LR\n",
        "flowchart LR\n  Z[Livepreviewmarker]\n",
    )
    seconds, _ = live_site.wait_for(page, "Livepreviewmarker")
    assert live_site.reload_asked(before)
    print(f"diagram edit served after {seconds:.2f} s")


def test_the_preview_leaves_the_notes_out_of_the_print_edition(live_site: LiveSite):
    # Every edit rebuilds the whole site; the print page would hold every note again.
    # (tests/test_print_edition.py checks what `mkdocs build` puts in it.)
    html = live_site.get("print/")
    assert "The live preview leaves the notes out of this page" in html
    assert 'id="print-foundations-coupling' not in html


def test_an_include_edit_is_served(live_site: LiveSite):
    page = "foundations/coupling/"
    edit(
        live_site.root / "docs/includes/abbreviations.md",
        "*[API]: Application programming interface",
        "*[API]: Application programming interface (edited live)",
    )
    live_site.wait_for(page, 'title="Application programming interface (edited live)"')


def test_a_hook_edit_is_used_without_a_restart(live_site: LiveSite):
    page = "foundations/coupling/"
    before = live_site.get(page)
    assert "Referenced by" in before
    # MkDocs keeps each hook loaded for the life of the process: the reloader runs it again.
    edit(
        live_site.root / "scripts/hooks/backlinks.py",
        "    return with_referenced_by(",
        r'    return "Hookeditmarker\n\n" + with_referenced_by(',
    )
    live_site.wait_for(page, "Hookeditmarker")
    assert live_site.reload_asked(before)


def test_an_edit_to_a_module_a_hook_imports_is_used(live_site: LiveSite):
    edit(
        live_site.root / "scripts/linkcheck/report/health_page.py",
        "No link report is present",
        "No link report is here yet",
    )
    live_site.wait_for("link-health/", "No link report is here yet")


def link_report(url: str) -> str:
    return json.dumps(
        {
            "schema": 1,
            "generated_at": "2026-12-01T00:00:00Z",
            "summary": {"total": 1, "by_status": {"dead": 1}},
            "links": [
                {
                    "url": url,
                    "status": "dead",
                    "message": "not found",
                    "sources": [{"file": "docs/foundations/coupling.md", "line": 3}],
                }
            ],
        }
    )


def test_the_link_report_is_watched_as_it_comes_changes_and_goes(live_site: LiveSite):
    """The copy had no report, nor its folder: the first report, an edit of it (once only
    the report is watched, not the checker's cache beside it), its removal and a new one
    each rebuild Link health."""
    path = live_site.root / ".cache/linkcheck/last-report.json"
    assert path.parent.is_dir(), "serving made the report's folder, to watch for the first report"
    path.write_text(link_report("https://dead.example/"), encoding="utf-8")
    live_site.wait_for("link-health/", "https://dead.example/")
    path.write_text(link_report("https://gone.example/"), encoding="utf-8")
    live_site.wait_for("link-health/", "https://gone.example/")
    path.unlink()
    live_site.wait_for("link-health/", "No link report is")
    path.write_text(link_report("https://again.example/"), encoding="utf-8")
    live_site.wait_for("link-health/", "https://again.example/")
