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
    note, readme = page.split("## [a/x.md](a/x.md)")[1].split("## README.md")
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


HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "</td><script>alert(1)</script>",
    "[click](javascript:alert(1))",
    '`x` | <svg/onload=alert(1)> | *[x]: <b onmouseover="alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "line one\n\n<details/open/ontoggle=alert(1)>",
]


def test_text_from_the_report_and_remote_servers_is_published_as_text() -> None:
    """Messages, URLs and file names come from servers or the report file: untrusted."""
    from content.rendered_page import PageRenderer
    from gates.rendered_markup import rendered_problems
    from selectolax.lexbor import LexborHTMLParser
    from site_build import REPO_ROOT

    report = _report()
    for link, hostile in zip(report["links"], HOSTILE, strict=False):
        link["message"] = hostile
        link["url"] = "https://x.example/" + hostile
        link["final_url"] = 'https://y.example/"><script>alert(1)</script>'
        link["wayback"] = "javascript:alert(1)"
        for source in link["sources"]:
            source["file"] = "README.md`<img src=x onerror=alert(1)>"
    report["generated_at"] = "<script>alert(1)</script>"
    page = health_page.render_page(report, lambda _: None)
    html = PageRenderer(REPO_ROOT).render(page)
    assert [p.message for p in rendered_problems(html)] == []
    tree = LexborHTMLParser(html)
    assert tree.css("script, img, svg, details, b") == []
    assert [a.attributes["href"] for a in tree.css("a")] == [] or all(
        a.attributes["href"].startswith(("https://", "#")) for a in tree.css("a")
    )
    assert '<img src=x onerror="alert(1)">' in tree.body.text()


def test_a_report_source_links_only_to_a_page_of_the_site(tmp_path: Path) -> None:
    """What the Link health hook links each report source to (content.site_pages.page_of_file)."""
    from content.site_pages import page_of_file

    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    pages = {"a/x.md"}
    assert page_of_file("docs/a/x.md", tmp_path, docs, pages.__contains__) == "a/x.md"
    assert page_of_file("docs/a/../a/x.md", tmp_path, docs, pages.__contains__) == "a/x.md"
    assert page_of_file("docs/a/draft.md", tmp_path, docs, pages.__contains__) is None  # not built
    assert page_of_file("README.md", tmp_path, docs, pages.__contains__) is None  # outside docs/
    assert page_of_file("docs/../README.md", tmp_path, docs, pages.__contains__) is None


def test_the_json_report_is_exactly_what_json_dumps_writes() -> None:
    # render_json writes each link by hand (with json.dumps's own escaper) for speed: it must
    # stay byte for byte what json.dumps gives for the schema, on every status and hostile text.
    from linkcheck.report import wayback_url

    def report_data(report: Report) -> dict:
        """The schema (json_report.py's docstring) as JSON values, for json.dumps."""
        return {
            "schema": 1,
            "generated_at": report.generated_at.isoformat(timespec="seconds"),
            "links": [
                {
                    "url": r.url,
                    "status": r.verdict.status.value,
                    "code": r.verdict.code,
                    "final_url": r.verdict.final_url,
                    "message": r.verdict.message,
                    "sources": [{"file": s.file, "line": s.line} for s in r.sources],
                    "wayback": wayback_url(r.url) if r.verdict.status is Status.DEAD else None,
                }
                for r in report.links
            ],
            "summary": {
                "total": len(report.links),
                "failing": len(report.failing),
                "by_status": report.counts(),
            },
        }

    hostile = 'q"uote \\ back\nnew\x00nul\u2028sep é 😀 </script>'
    links = [
        LinkResult(
            f"https://x.example/{status.value}?{hostile}",
            Verdict(status, code, None if code is None else f"https://y.example/{hostile}", hostile),
            [Source(f"docs/{hostile}.md", 7), Source("README.md", 10**12)],
        )
        for status in Status
        for code in (None, 404)
    ]
    links.append(LinkResult("https://no-sources.example/", Verdict(Status.OK), []))
    report = Report.of(links)
    expected = json.dumps(report_data(report), separators=(",", ":")) + "\n"
    assert render_json(report) == expected
    dead = [link for link in json.loads(expected)["links"] if link["status"] == "dead"]
    assert dead and all(link["wayback"].startswith("https://web.archive.org/") for link in dead)
