"""The pipeline: a file's links are fetched while the next file is parsed, so a URL may be seen
plainly first and with a fragment in a later file (or the other way round). Verdicts are those of
a run that read every file first, and a page is fetched again only when a fragment arrived after
a fetch that did not look for it. Each case runs with the files parsed in this process and in a
forked child (parse_child.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)


@pytest.fixture(params=["inline", "child"], autouse=True)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case twice: files parsed here between two turns of the loop, and in a forked child."""
    if request.param == "child" and not hasattr(os, "fork"):
        pytest.skip("no os.fork here: files are always parsed in-process")
    monkeypatch.setenv("LINKCHECK_PARSER", request.param)
    return request.param


def _run(tmp_path: Path, web: Web, first: str, later: str) -> tuple[object, list[tuple[str, str]]]:
    (tmp_path / "later.md").write_text(later, encoding="utf-8")
    seen = len(web.state.methods)
    run = run_checker(tmp_path, first, str(tmp_path / "later.md"), "--allow-local")
    return run, web.state.methods[seen:]


def test_a_fragment_in_a_later_file_after_the_plain_link_gets_one_more_get(
    tmp_path: Path, loopback_web: Web, parser: str
) -> None:
    page = loopback_web.url("site.test", f"/anchors?t=plain-first-{parser}")
    run, methods = _run(
        tmp_path, loopback_web, f"[plain]({page})\n", f"[a]({page}#present)\n\n[b]({page}#absent)\n"
    )
    assert run.code == 1, run.stderr
    assert run.status(page) == "ok"
    assert run.status(f"{page}#present") == "ok"
    assert run.status(f"{page}#absent") == "dead"
    assert run.link(f"{page}#absent")["message"] == "missing anchor #absent"
    # The plain link's request went out before the later file was read (a HEAD: no anchors to
    # look for then); the two fragments share the one GET that reads the anchors.
    assert methods == [("HEAD", "/anchors"), ("GET", "/anchors")]
    assert loopback_web.state.hits[f"/anchors?t=plain-first-{parser}"] == 2


def test_a_plain_link_in_a_later_file_after_a_fragment_is_not_fetched_again(
    tmp_path: Path, loopback_web: Web, parser: str
) -> None:
    page = loopback_web.url("site.test", f"/anchors?t=fragment-first-{parser}")
    run, methods = _run(
        tmp_path, loopback_web, f"[a]({page}#absent)\n", f"[plain]({page})\n\n[b]({page}#absent)\n"
    )
    assert run.status(f"{page}#absent") == "dead"
    assert run.status(page) == "ok"
    assert [s["file"].rsplit("/", 1)[-1] for s in run.link(f"{page}#absent")["sources"]] == [
        "note.md",
        "later.md",
    ]
    assert methods == [("GET", "/anchors")]
    assert loopback_web.state.hits[f"/anchors?t=fragment-first-{parser}"] == 1


def test_a_fragment_already_looked_for_and_a_plain_link_after_it_share_the_one_fetch(
    tmp_path: Path, loopback_web: Web, parser: str
) -> None:
    page = loopback_web.url("site.test", f"/anchors?t=same-fragment-{parser}")
    run, methods = _run(
        tmp_path,
        loopback_web,
        f"[a]({page}#present)\n\n[p]({page})\n",
        f"[b]({page}#present)\n\n[p]({page})\n",
    )
    assert run.code == 0, run.stderr
    assert {run.status(page), run.status(f"{page}#present")} == {"ok"}
    assert methods == [("GET", "/anchors")]


def test_links_in_every_file_are_checked_once_and_reported_in_first_seen_order(
    tmp_path: Path, loopback_web: Web, parser: str
) -> None:
    urls = [loopback_web.url("site.test", f"/ok?t=pipeline-{parser}-{i}") for i in range(6)]
    (tmp_path / "later.md").write_text(
        "\n\n".join(f"[x]({u})" for u in urls[2:] + urls[:2]), encoding="utf-8"
    )
    run = run_checker(
        tmp_path, "\n\n".join(f"[x]({u})" for u in urls[:3]), str(tmp_path / "later.md"), "--allow-local"
    )
    assert run.code == 0, run.stderr
    assert [link["url"] for link in run.report["links"] if "pipeline" in link["url"]] == urls
    assert all(loopback_web.state.hits[f"/ok?t=pipeline-{parser}-{i}"] == 1 for i in range(6))
    assert [len(run.link(u)["sources"]) for u in urls] == [2, 2, 2, 1, 1, 1]


def test_a_plain_link_settled_by_head_takes_the_get_that_a_later_fragment_caused(
    tmp_path: Path, loopback_web: Web, parser: str
) -> None:
    # HEAD says 200, GET says 404. Read all at once, both links share one GET (a fragment is
    # wanted): both dead. Pipelined, the plain link's HEAD went out first; the later fragment's
    # GET then settles the plain link too, so the verdicts are the same as reading all first.
    page = loopback_web.url("site.test", f"/get-gone?t=pipeline-{parser}")
    run, methods = _run(tmp_path, loopback_web, f"[plain]({page})\n", f"[frag]({page}#part)\n")
    assert methods == [("HEAD", "/get-gone"), ("GET", "/get-gone")]
    assert run.status(page) == "dead", run.stdout
    assert run.status(f"{page}#part") == "dead"
    together = run_checker(tmp_path, f"[plain]({page}&all)\n\n[frag]({page}&all#part)\n", "--allow-local")
    assert together.status(f"{page}&all") == "dead"
