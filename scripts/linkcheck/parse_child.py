"""Parse the Markdown in a forked child process while this one sets up the network.

Before the first request can go out, a run must import markdown-it and parse the
first file, and import asyncio and the HTTP client: tens of milliseconds each,
one after the other in one process (profiled: 0.11 s from start to the first
request at 2,000 links). `check_links.py` forks this child first thing, so the
child imports markdown-it while the parent reads its options and settings; the
parent then hands it the files to parse and imports the network stack while the
child parses. Later files are parsed there too, so parsing never holds up the
event loop while answers wait to be read (the first round of requests lost 14 ms
to it at 2,000 links, and every round a little at 20,000).

The child parses the files it is given, in order, and writes each one's links
(or its problem line) down a pipe; it never touches the cache, the network or
the terminal, and leaves by `os._exit`. Where `os.fork` does not exist
(Windows), where the process already runs other threads (forking those is
unsafe), or with LINKCHECK_PARSER=inline, files are parsed in this process
between two turns of the event loop instead; LINKCHECK_PARSER=child forces the
child (the tests run both, with the same verdicts).

This module is imported before the fork, on the way of both processes: it imports
little beyond `collect`, which both need (signal and threading only where used).
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio
    from collections.abc import AsyncIterator
    from pathlib import Path

    from linkcheck.collect import Collected, Found, InputFile, ParseMemo

# Each message: its length, then marshal's bytes (a list of (line, URL), a problem line, or a
# dict for a crash). marshal, not pickle: the values are plain and it needs no import.
_LENGTH = struct.Struct("!I")
# Parsed once in the child while it waits for its files, so markdown-it and linkify compile
# their lazily built expressions before the first real file (5 ms of the first parse).
_WARM_UP = "[a](https://example.org/a) https://example.org/b <https://example.org/c>\n"


def can_parse_in_child() -> bool:
    """Whether this process may fork a parser: it can, it runs one thread, and nobody said no."""
    chosen = os.environ.get("LINKCHECK_PARSER", "").lower()
    if chosen == "inline" or not hasattr(os, "fork"):
        return False
    # A thread is started through `threading`: until it is imported, this is the only thread.
    threading = sys.modules.get("threading")
    return chosen == "child" or threading is None or threading.active_count() == 1


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _send(fd: int, value: object) -> None:
    message = marshal.dumps(value)
    _write_all(fd, _LENGTH.pack(len(message)) + message)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _child(jobs: int, results: int) -> None:
    """Runs in the forked child: get ready, parse each file it is given and send what it holds;
    never returns."""
    code = 0
    try:
        import signal
        from pathlib import Path

        # Ctrl-C reaches the whole process group: the parent reports it, this one just stops.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

        from linkcheck.collect import external_urls, parse_file

        external_urls("warm-up.md", _WARM_UP)
        files = marshal.loads(_read_all(jobs) or marshal.dumps([]))
        for index, (name, path) in enumerate(files):
            _send(results, parse_file(name, Path(path)))
            if index == 0:
                # The first file's links start the run; the rest are needed only as fast as the
                # network takes them. From here on this process yields the CPU to the one that
                # answers and sends (on two cores, three busy processes held the first round up).
                os.nice(10)
    except BrokenPipeError:  # the parent stopped reading: it is gone or done
        code = 1
    except BaseException as error:  # a bug: the parent raises it with this text
        import contextlib
        import traceback

        with contextlib.suppress(OSError):
            _send(results, {"crash": "".join(traceback.format_exception(error))})
        code = 1
    finally:
        # No clean-up of what the parent still owns (the cache's database, buffered output).
        os._exit(code)


class ChildParser:
    """A forked child that parses the files it is then given, in order, and hands back their
    links as they come. Fork it as early as possible; `close` it on every way out."""

    def __init__(self) -> None:
        jobs_read, self._jobs = os.pipe()
        self._results, results_write = os.pipe()
        try:
            self.pid: int | None = os.fork()
        except OSError:
            for fd in (jobs_read, self._jobs, self._results, results_write):
                os.close(fd)
            raise
        if self.pid == 0:  # pragma: no cover (the child's coverage is not collected)
            os.close(self._jobs)
            os.close(self._results)
            _child(jobs_read, results_write)
        os.close(jobs_read)
        os.close(results_write)
        self.count = 0

    def parse(self, files: list[tuple[str, Path]]) -> None:
        """Give the child its files (once): it starts on them at once."""
        self.count = len(files)
        try:
            _write_all(self._jobs, marshal.dumps([(name, str(path)) for name, path in files]))
        except BrokenPipeError:
            pass  # the child failed before it read them: `results` raises what it said, or that it died
        finally:
            os.close(self._jobs)
            self._jobs = -1

    async def results(self) -> AsyncIterator[Found]:
        """Each file's links (or problem line), in order, read without blocking the loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        pipe = os.fdopen(self._results, "rb", buffering=0)
        self._results = -1  # now owned by the transport, which closes it
        transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
        try:
            for _ in range(self.count):
                yield await self._message(reader)
        finally:
            transport.close()

    @staticmethod
    async def _message(reader: asyncio.StreamReader) -> Found:
        import asyncio

        try:
            (length,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
            found = marshal.loads(await reader.readexactly(length))
        except asyncio.IncompleteReadError:
            raise RuntimeError("the parser process stopped before every file was read") from None
        if isinstance(found, dict):
            raise RuntimeError(f"the parser process failed:\n{found['crash']}")
        return found

    def close(self) -> None:
        """Stop the child if it still runs, and reap it (its CPU time is then counted as ours)."""
        for fd in (self._jobs, self._results):
            if fd >= 0:
                os.close(fd)
        self._jobs = self._results = -1
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                import signal

                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def fork_parser() -> ChildParser | None:
    """A parser child, forked now, or None where one may not be (see `can_parse_in_child`) or
    cannot be (no process or pipe to spare): then the files are parsed in this process."""
    if not can_parse_in_child():
        return None
    try:
        return ChildParser()
    except OSError:
        return None


def collect_in_child(
    planned: list[InputFile], collected: Collected, memo: ParseMemo | None, parser: ChildParser
) -> AsyncIterator[list[str]] | None:
    """What `collect.collect_steps` does, with `parser` doing the parsing: the steps (the URLs
    first seen in each file, `collected` filled as they come), or None when the memo holds every
    file (then nothing needs parsing, and collecting here keeps asyncio unloaded if no link
    needs it)."""
    # Looked up before the child starts, so it parses only what the memo does not hold.
    remembered = {
        file.name: found
        for file in planned
        if not file.problem and memo and (found := memo.parsed(file.name, file.stamp)) is not None
    }
    to_parse = [(f.name, f.path) for f in planned if not f.problem and f.name not in remembered]
    if not to_parse:
        return None
    parser.parse(to_parse)
    return _steps(planned, remembered, collected, memo, parser.results())


async def _steps(
    planned: list[InputFile],
    remembered: dict[str, list[tuple[int, str]]],
    collected: Collected,
    memo: ParseMemo | None,
    parsed: AsyncIterator[Found],
) -> AsyncIterator[list[str]]:
    import asyncio

    from linkcheck.collect import merge_file

    try:
        for file in planned:
            if file.problem:
                collected.problems.append(file.problem)
                continue
            found = remembered.get(file.name)
            if found is None:
                found = await anext(parsed)
                if memo and not isinstance(found, str):
                    memo.remember_parsed(file.name, file.stamp, found)
            yield merge_file(collected, file.name, found)
            # The loop runs between two files even when the child is ahead (reading what it
            # sent already does not wait): answers are not kept waiting behind many files.
            await asyncio.sleep(0)
    finally:
        await parsed.aclose()
