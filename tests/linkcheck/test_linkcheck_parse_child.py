"""The Markdown parsed in a forked child (linkcheck/parse_child.py): the same links, places and
problems, in the same order, as parsing in this process; a memo still spares parsing; a child
that fails or is no longer wanted never outlives the run, and never hides an error."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from linkcheck import collect, parse_child
from linkcheck.collect import Collected, collect_steps, input_files, plan_input
from linkcheck.parse_child import ChildParser, collect_in_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork: files are parsed in-process")


def _files(root: Path) -> list[Path]:
    docs = root / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "# A\n\nSee [one](https://one.example/x) and https://two.example/.\n\n"
        '!!! note "Admonition"\n    Inside: [three](https://three.example/#part)\n',
        encoding="utf-8",
    )
    (docs / "b.md").write_text("[again](https://one.example/x)\n\n[four](https://four.example/)\n")
    (docs / "c.md").write_bytes(b"\xff\xfe not UTF-8 [x](https://never.example/)\n")
    (docs / "d.md").write_text("No links here, only `https://code.example/` in code.\n")
    (root / "mkdocs.yml").write_text("site_url: https://site.example/\nnav: [a: b\n")  # not valid YAML
    (root / "links.yml").write_text("repo_url: https://repo.example/\n")
    return [*input_files([docs]), root / "missing.md", root / "mkdocs.yml", root / "links.yml"]


def _in_child(
    files: list[Path], root: Path, memo: collect.ParseMemo | None = None
) -> tuple[Collected, list[list[str]]]:
    collected = Collected()
    parser = ChildParser()
    try:
        collection = collect_in_child(plan_input(files, root), collected, memo, parser)
        assert collection is not None

        async def take() -> list[list[str]]:
            return [step async for step in collection]

        steps = asyncio.run(take())
    finally:
        parser.close()
    return collected, steps


def test_the_child_collects_exactly_what_parsing_here_does(tmp_path: Path) -> None:
    files = _files(tmp_path)
    here = Collected()
    steps_here = [step for step in collect_steps(files, tmp_path, here) if step]
    there, steps_there = _in_child(files, tmp_path)
    assert there.urls == here.urls
    assert there.problems == here.problems
    assert [step for step in steps_there if step] == steps_here
    assert [p.split(":")[0] for p in there.problems] == ["docs/c.md", "missing.md", "mkdocs.yml"]
    assert there.urls["https://one.example/x"] == here.urls["https://one.example/x"]
    assert len(there.urls["https://one.example/x"]) == 2  # found in a.md and b.md, in that order


class _Memo:
    def __init__(self) -> None:
        self.stored: dict[str, tuple[str, list[tuple[int, str]]]] = {}

    def parsed(self, name: str, stamp: str) -> list[tuple[int, str]] | None:
        kept = self.stored.get(name)
        return kept[1] if kept and kept[0] == stamp else None

    def remember_parsed(self, name: str, stamp: str, found: list[tuple[int, str]]) -> None:
        self.stored[name] = (stamp, found)


def test_the_memo_is_filled_by_the_child_and_spares_it_the_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path)
    memo = _Memo()
    first, _ = _in_child(files, tmp_path, memo)
    assert set(memo.stored) == {"docs/a.md", "docs/b.md", "docs/d.md", "links.yml"}
    # A file the memo holds is not given to the child: prove it by making parsing impossible.
    (tmp_path / "docs" / "b.md").write_text("[changed](https://changed.example/)\n")
    given: list[list[tuple[str, Path]]] = []
    handing_over = ChildParser.parse

    def parse(self: ChildParser, jobs: list[tuple[str, Path]]) -> None:
        given.append(jobs)
        handing_over(self, jobs)

    monkeypatch.setattr(ChildParser, "parse", parse)
    second, _ = _in_child(files, tmp_path, memo)
    assert [name for name, _ in given[0]] == ["docs/b.md", "docs/c.md", "mkdocs.yml"]
    assert "https://changed.example/" in second.urls
    assert "https://four.example/" not in second.urls
    assert second.urls["https://two.example/"] == first.urls["https://two.example/"]


def test_nothing_is_forked_into_use_when_the_memo_holds_every_file(tmp_path: Path) -> None:
    files = _files(tmp_path)[:2]
    memo = _Memo()
    _in_child(files, tmp_path, memo)
    parser = ChildParser()
    try:
        assert collect_in_child(plan_input(files, tmp_path), Collected(), memo, parser) is None
    finally:
        parser.close()


def test_a_failing_child_is_an_error_in_the_run_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str, path: Path) -> list[tuple[int, str]]:
        raise KeyError("a bug in the parser")

    monkeypatch.setattr(collect, "parse_file", broken)  # the forked child inherits the bug
    with pytest.raises(RuntimeError, match="the parser process failed") as raised:
        _in_child(_files(tmp_path), tmp_path)
    assert "KeyError: 'a bug in the parser'" in str(raised.value)


def test_a_child_that_fails_before_its_files_arrive_is_an_error_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str, text: str) -> list[tuple[int, str]]:
        raise ImportError("no markdown-it here")

    monkeypatch.setattr(collect, "external_urls", broken)  # fails while it warms up
    parser = ChildParser()
    os.waitpid(parser.pid, 0)  # it is gone before the files are handed over
    parser.pid = None
    collection = collect_in_child(plan_input(_files(tmp_path), tmp_path), Collected(), None, parser)
    assert collection is not None

    async def take() -> list[list[str]]:
        return [step async for step in collection]

    with pytest.raises(RuntimeError, match="the parser process failed") as raised:
        asyncio.run(take())
    assert "ImportError: no markdown-it here" in str(raised.value)
    parser.close()


def test_a_child_that_is_not_needed_is_stopped_and_reaped(tmp_path: Path) -> None:
    parser = ChildParser()  # never given its files: it waits, as when --help or a bad option ends the run
    pid = parser.pid
    assert pid is not None
    parser.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    parser.close()  # closing twice is harmless


def test_the_environment_decides_where_files_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKCHECK_PARSER", "inline")
    assert parse_child.fork_parser() is None
    monkeypatch.setenv("LINKCHECK_PARSER", "child")
    assert parse_child.can_parse_in_child()
    monkeypatch.delenv("LINKCHECK_PARSER")
    # Here (pytest, with the loopback web's thread or not) the answer follows the thread count.
    import threading

    assert parse_child.can_parse_in_child() == (threading.active_count() == 1)


def test_when_no_process_can_be_forked_the_files_are_parsed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN: no process to spare

    monkeypatch.setenv("LINKCHECK_PARSER", "child")
    open_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    monkeypatch.setattr(os, "fork", no_fork)
    assert parse_child.fork_parser() is None
    if open_before is not None:
        assert len(os.listdir("/proc/self/fd")) == open_before  # its pipes were closed again
