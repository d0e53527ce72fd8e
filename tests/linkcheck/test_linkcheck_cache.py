"""The cache: fresh verdicts are reused, stale ones re-checked, unreachable ones escalate."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from linkcheck.cache import ResultCache
from linkcheck.config import DAY
from linkcheck.verdict import Status, Verdict
from loopback_servers import Web, loopback_web_fixture, run_checker  # noqa: F401 (the loopback_web fixture)


def test_a_warm_run_rechecks_nothing_fresh(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/ok?t=warm")
    first = run_checker(tmp_path, f"[a]({url})\n", "--allow-local")
    second = run_checker(tmp_path, None, "--allow-local")
    assert first.status(url) == second.status(url) == "ok"
    assert loopback_web.state.hits["/ok?t=warm"] == 1
    assert "0 checked, 1 fresh in the cache" in second.stderr


def test_a_verdict_older_than_its_max_age_is_checked_again(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/ok?t=stale")
    run_checker(tmp_path, f"[a]({url})\n", "--allow-local")
    run_checker(tmp_path, None, "--allow-local", config="[max_age_days]\nok = 0\n")
    assert loopback_web.state.hits["/ok?t=stale"] == 2


def test_dead_links_are_always_checked_again(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/notfound?t=again")
    run_checker(tmp_path, f"[a]({url})\n", "--allow-local")
    run_checker(tmp_path, None, "--allow-local")
    assert loopback_web.state.hits["/notfound?t=again"] == 4  # HEAD and GET, twice


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/ok?t=nocache")
    run_checker(tmp_path, f"[a]({url})\n", "--allow-local", "--no-cache")
    assert not (tmp_path / "cache.sqlite").exists()


def _seed_unreachable(path: Path, url: str, since: float) -> None:
    cache = ResultCache(path)
    cache.store(url, Verdict(Status.UNREACHABLE, message="timed out"), since)
    cache.close()


def test_unreachable_for_three_days_of_runs_escalates_to_dead(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/hang?t=escalate")
    _seed_unreachable(tmp_path / "cache.sqlite", url, time.time() - 3.5 * DAY)
    run = run_checker(tmp_path, f"[a]({url})\n", "--allow-local", "--timeout", "0.2", "--max-retries", "0")
    assert run.status(url) == "dead"
    assert "unreachable in every run since" in run.link(url)["message"]
    assert run.code == 1


def test_unreachable_for_less_than_three_days_stays_unreachable(tmp_path: Path, loopback_web: Web) -> None:
    url = loopback_web.url("site.test", "/hang?t=young")
    _seed_unreachable(tmp_path / "cache.sqlite", url, time.time() - 1 * DAY)
    run = run_checker(tmp_path, f"[a]({url})\n", "--allow-local", "--timeout", "0.2", "--max-retries", "0")
    assert run.status(url) == "unreachable"
    assert run.code == 0


def test_a_working_run_breaks_the_unreachable_series(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite")
    url = "https://example.test/"
    assert cache.store(url, Verdict(Status.UNREACHABLE), 1000.0) == 1000.0
    assert cache.store(url, Verdict(Status.UNREACHABLE), 2000.0) == 1000.0
    cache.store(url, Verdict(Status.OK, 200), 3000.0)
    assert cache.store(url, Verdict(Status.UNREACHABLE), 4000.0) == 4000.0
    cache.close()
    rows = (
        sqlite3.connect(tmp_path / "c.sqlite")
        .execute("SELECT status, unreachable_since FROM links")
        .fetchall()
    )
    assert rows == [("unreachable", 4000.0)]


def test_a_corrupt_cache_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "cache.sqlite").write_bytes(b"not a database at all" * 100)
    run = run_checker(tmp_path, "[a](https://example.test/)\n", fmt="text")
    assert run.code == 2
    assert run.stderr.strip().splitlines()[-1].startswith("check_links: cannot use the cache")


def test_unchanged_files_are_not_parsed_again_and_changed_ones_are(tmp_path: Path) -> None:
    from linkcheck.collect import collect_links

    note = tmp_path / "note.md"
    note.write_text("[a](https://first.example/)\n")
    cache = ResultCache(tmp_path / "c.sqlite")
    assert list(collect_links([note], tmp_path, memo=cache).urls) == ["https://first.example/"]
    # Swap the remembered parse: if the file is not parsed again, the swapped URL comes back.
    cache._db.execute("UPDATE parsed SET urls = ?", ('[[1, "https://remembered.example/"]]',))
    assert list(collect_links([note], tmp_path, memo=cache).urls) == ["https://remembered.example/"]
    note.write_text("[b](https://second.example/page)\n")
    assert list(collect_links([note], tmp_path, memo=cache).urls) == ["https://second.example/page"]
    cache.close()
