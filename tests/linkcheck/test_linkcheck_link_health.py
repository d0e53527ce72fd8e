"""The Link health page: generated from the last JSON report, or saying plainly there is none."""

from __future__ import annotations

import json
from pathlib import Path

from linkcheck.report import Report, health_page
from linkcheck.report.json_report import render_json
from linkcheck.verdict import LinkResult, Source, Status, Verdict


def _report() -> dict:
    links = [
        LinkResult(
            "https://dead.example/",
            Verdict(Status.DEAD, 404, message="not found"),
            [Source("docs/a/x.md", 9)],
        ),
        LinkResult(
            "https://old.example/",
            Verdict(Status.REDIRECTED, 200, "https://new.example/", "moved"),
            [Source("docs/a/x.md", 3), Source("README.md", 4)],
        ),
        LinkResult("https://in.example/", Verdict(Status.BLOCKED, 999, message="refuses robots (999)"), []),
        LinkResult("https://fine.example/", Verdict(Status.OK, 200), [Source("docs/a/x.md", 1)]),
    ]
    links[2].sources = [Source("docs/a/x.md", 5)]
    return json.loads(render_json(Report.of(links)))


def test_no_report_says_so_plainly(tmp_path: Path) -> None:
    assert health_page.load_report(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert health_page.load_report(tmp_path / "bad.json") is None
    page = health_page.render_page(None, lambda _: None)
    assert "title: Link health" in page
    assert "No link report is present" in page
    assert "make links" in page


def test_the_page_lists_dead_moved_and_blocked_links_per_note(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(_report()))
    report = health_page.load_report(tmp_path / "r.json")
    page = health_page.render_page(
        report, lambda f: f.removeprefix("docs/") if f.startswith("docs/") else None
    )
    note, readme = page.split("## [a/x.md](a/x.md)")[1].split("## `README.md`")
    rows = [
        line
        for line in note.splitlines()
        if line.startswith("| ") and line.split(" | ")[0] not in ("| verdict", "| ---")
    ]
    assert [row.split(" | ")[0] for row in rows] == ["| Dead", "| Moved", "| Blocked for robots"]
    assert "https://web.archive.org/web/*/https://dead.example/" in rows[0]
    assert "now <https://new.example/>" in rows[1]
    assert "https://fine.example/" not in page
    assert "| Moved | <https://old.example/> | 4 |" in readme
    assert "4 external links, 1 dead, 1 blocked, 1 redirected, 1 ok." in page


def test_the_report_path_comes_from_linkcheck_toml(tmp_path: Path) -> None:
    assert health_page.report_path(tmp_path) == tmp_path / ".cache/linkcheck/last-report.json"
    (tmp_path / "linkcheck.toml").write_text('report_path = "out/r.json"\n')
    assert health_page.report_path(tmp_path) == tmp_path / "out/r.json"


def test_the_built_site_has_the_page(built_site: Path) -> None:
    html = (built_site / "link-health" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Link health" in html
    has_report = health_page.load_report(health_page.report_path()) is not None
    assert ("From the link check of" in html) is has_report
    assert ("No link report is present" in html) is not has_report
