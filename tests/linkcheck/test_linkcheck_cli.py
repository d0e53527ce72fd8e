"""The command line: help, formats, annotations, exit codes, bad input, offline, Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from linkcheck.cli import build_parser
from loopback_servers import (  # noqa: F401 (the loopback_web fixture)
    FAST,
    HOSTS,
    FailingResolver,
    MappingResolver,
    Web,
    loopback_web_fixture,
    run_checker,
)
from site_build import ctrl_c_as_at_a_terminal

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "check_links.py"


def test_help_explains_every_option_and_the_exit_codes() -> None:
    parser = build_parser()
    text = parser.format_help()
    for action in parser._actions:
        assert action.help, f"{action.option_strings} has no help"
    for name in (
        "--max-concurrency", "--host-concurrency", "--host-request-interval", "--max-retries",
        "--timeout", "--format", "--output", "--cache", "--no-cache", "--exclude", "--allow-local",
    ):  # fmt: skip
        assert name in text
    assert "3  offline" in text


def test_markdown_and_text_reports_group_by_verdict(tmp_path: Path, loopback_web: Web) -> None:
    dead = loopback_web.url("site.test", "/notfound?t=md")
    moved = loopback_web.url("site.test", "/moved?t=md")
    markdown = f"[a]({dead})\n\n[b]({moved})\n"
    run = run_checker(tmp_path, markdown, "--allow-local", fmt="markdown")
    assert "### Dead (1)" in run.stdout
    assert f"| <{dead}> | not found ([archived copies](https://web.archive.org/web/*/{dead})) |" in run.stdout
    assert f"now {loopback_web.url('site.test', '/ok')}" in run.stdout
    text = run_checker(tmp_path, None, "--allow-local", fmt="text").stdout
    assert text.startswith("DEAD (1)\n  not found\n")
    assert "note.md:1" in text
    assert text.strip().endswith("2 links: 1 dead, 1 redirected; 1 failing")


def test_output_file_and_github_annotations(
    tmp_path: Path, loopback_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    dead = loopback_web.url("site.test", "/gone?t=gh")
    run = run_checker(
        tmp_path, f"text\n\n[a]({dead})\n", "--allow-local", "--output", str(tmp_path / "r.json")
    )
    assert json.loads((tmp_path / "r.json").read_text())["links"][0]["status"] == "dead"
    note = str(tmp_path / "note.md").replace(":", "%3A").replace(",", "%2C")
    assert run.stdout == f"::error file={note},line=3::dead link {dead}: gone\n"


def test_malformed_urls_are_invalid_and_fail_while_the_rest_is_checked(
    tmp_path: Path, loopback_web: Web
) -> None:
    good = loopback_web.url("site.test", "/ok?t=bad")
    run = run_checker(
        tmp_path, f"[a](http://bad:99999/x)\n\n[b](https://[::1/)\n\n[c]({good})\n", "--allow-local"
    )
    assert run.status("http://bad:99999/x") == "invalid"
    assert run.status(good) == "ok"
    assert run.code == 1


def test_unreadable_and_non_utf8_files_are_one_message_each(tmp_path: Path, loopback_web: Web) -> None:
    good = loopback_web.url("site.test", "/ok?t=files")
    (tmp_path / "latin1.md").write_bytes("caf\xe9 [x](http://a.test/)".encode("latin-1"))
    run = run_checker(
        tmp_path, f"[a]({good})\n", str(tmp_path / "latin1.md"), str(tmp_path / "missing.md"), "--allow-local"
    )
    assert "skipped latin1.md: not UTF-8 text" in run.stderr.replace(str(tmp_path) + "/", "")
    assert "missing.md: no such file or folder" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.status(good) == "ok"
    assert run.code == 2


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('max_retries = "three"', "max_retries must be an integer"),
        ("no_such_setting = 1", "unknown setting 'no_such_setting'"),
        ("exclude = ['(']", "not a valid regular expression"),
        ("[hosts.'x.test']\naccept = ['200']", "hosts.x.test.accept must be a list of HTTP status codes"),
        ("this is = not toml =", "is not valid TOML"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path, config: str, message: str) -> None:
    run = run_checker(tmp_path, "[a](https://example.test/)\n", config=config, fmt="text")
    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("check_links: configuration error:")
    assert message in run.stderr


def test_bad_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["--max-concurrency", "zero"])
    assert exit_info.value.code == 2
    assert "not a whole number: 'zero'" in capsys.readouterr().err


def test_offline_is_one_sentence_and_exit_3_with_nothing_cached(tmp_path: Path) -> None:
    markdown = "\n\n".join(f"[l{i}](https://host{i}.example/page)" for i in range(30))
    run = run_checker(tmp_path, markdown, resolver=FailingResolver(), fmt="text")
    assert run.code == 3
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("check_links: offline: none of the ")
    assert line.endswith("so no link was judged; run again with a network connection.")
    rows = sqlite3.connect(tmp_path / "cache.sqlite").execute("SELECT count(*) FROM links").fetchone()
    assert rows == (0,)


class _SlowNxdomainResolver(MappingResolver):
    """Known names resolve at once; unknown ones fail after a round trip, as NXDOMAIN does."""

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        if host not in self.hosts:
            await asyncio.sleep(0.05)
        return await super().resolve(host, port, family)


def test_dead_domains_before_a_slow_live_one_are_not_offline(tmp_path: Path, loopback_web: Web) -> None:
    dead = [f"https://gone{i}.example/" for i in range(12)]
    live = loopback_web.url("site.test", "/slow?t=not-offline")
    markdown = "\n\n".join(f"[l]({u})" for u in [*dead, live])
    run = run_checker(tmp_path, markdown, "--allow-local", resolver=_SlowNxdomainResolver(HOSTS))
    assert run.code == 1, run.stderr
    assert run.status(live) == "ok"
    assert {run.status(u) for u in dead} == {"dead"}


def _own_group_with_ctrl_c() -> None:
    ctrl_c_as_at_a_terminal()
    os.setpgid(0, 0)  # a group of its own, as a terminal's foreground job: Ctrl-C reaches all of it


def _ctrl_c_once(
    args: list[str], ready: Callable[[], bool], *, whole_job: bool = False
) -> tuple[subprocess.Popen[str], str]:
    """Run the checker with `args`, wait until `ready()` (at most 10 s), press Ctrl-C: to the
    checker alone, or as a terminal does to every process of the job. Returns the ended
    process and what it wrote on standard error."""
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), *args, "--allow-local", *FAST, "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "", "LINKCHECK_PARSER": ""},
        preexec_fn=_own_group_with_ctrl_c if whole_job else ctrl_c_as_at_a_terminal,
    )
    try:
        for _ in range(400):
            if ready():
                break
            time.sleep(0.025)
        if whole_job:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
    finally:
        process.kill()
    return process, stderr


def test_ctrl_c_mid_run_keeps_what_was_already_checked(tmp_path: Path, loopback_web: Web) -> None:
    port = loopback_web.ports["127.0.0.2"]
    fast = [f"http://127.0.0.2:{port}/ok?t=sigint{i}" for i in range(5)]
    slow = [f"http://127.0.0.2:{port}/hang?t=sigint{i}" for i in range(3)]
    (tmp_path / "note.md").write_text("\n\n".join(f"[x]({u})" for u in fast + slow))
    cache = tmp_path / "cache.sqlite"

    def fast_ones_cached() -> bool:
        if not cache.exists():
            return False
        try:
            return sqlite3.connect(cache).execute("SELECT count(*) FROM links").fetchone()[0] == len(fast)
        except sqlite3.OperationalError:
            return False

    process, stderr = _ctrl_c_once([str(tmp_path / "note.md"), "--cache", str(cache)], fast_ones_cached)
    assert process.returncode == 130, stderr
    assert "interrupted; the verdicts found so far are kept in the cache" in stderr
    assert "Traceback" not in stderr
    rows = sqlite3.connect(cache).execute("SELECT url, status FROM links ORDER BY url").fetchall()
    assert rows == sorted((u, "ok") for u in fast)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork: no parser child to stop")
def test_ctrl_c_at_a_terminal_stops_the_parser_child_too(tmp_path: Path, loopback_web: Web) -> None:
    # A terminal's Ctrl-C goes to every process of the job: the checker and its parser child.
    port = loopback_web.ports["127.0.0.2"]
    (tmp_path / "a.md").write_text(f"[x](http://127.0.0.2:{port}/hang?t=group-sigint)\n")
    for n in range(300):  # more to parse while the first link hangs
        (tmp_path / f"n{n:03}.md").write_text(f"[x](http://127.0.0.2:{port}/ok?t=group{n})\n" * 20)
    seen = loopback_web.state.hits.get("/hang?t=group-sigint", 0)
    process, stderr = _ctrl_c_once(
        [str(tmp_path), "--no-cache", "--host-concurrency", "1", "--max-concurrency", "1"],
        lambda: loopback_web.state.hits.get("/hang?t=group-sigint", 0) > seen,
        whole_job=True,
    )
    assert process.returncode == 130, stderr
    assert "interrupted; the verdicts found so far are not kept (--no-cache)" in stderr
    assert "Traceback" not in stderr
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the job is left: the parser child was reaped


def test_progress_in_ci_is_plain_lines() -> None:
    import io

    from linkcheck.progress import LineProgress, progress_for
    from linkcheck.verdict import LinkResult, Status, Verdict

    stream = io.StringIO()
    assert isinstance(progress_for(stream), LineProgress)
    progress = LineProgress(stream, every=0)
    progress.start(2)
    progress.advance(LinkResult("https://a.example/", Verdict(Status.DEAD)))
    progress.advance(LinkResult("https://b.example/", Verdict(Status.OK)))
    progress.stop()
    assert stream.getvalue().splitlines() == [
        "checking 2 links",
        "checked 1/2 links, 1 failing",
        "checked 2/2 links, 1 failing",
        "checked 2/2 links, 1 failing",
    ]
