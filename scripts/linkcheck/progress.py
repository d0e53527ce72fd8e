"""Progress on stderr: a live bar on a terminal, plain lines in CI and pipes."""

from __future__ import annotations

import sys
import time
from typing import IO, Protocol

from linkcheck.verdict import LinkResult


class Progress(Protocol):
    """`start` comes once every file is collected, with the number of links; links checked
    before then (a run checks while it collects) are counted from the first `advance`."""

    def start(self, total: int) -> None: ...
    def advance(self, result: LinkResult) -> None: ...
    def stop(self) -> None: ...


class SilentProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, result: LinkResult) -> None:
        pass

    def stop(self) -> None:
        pass


class LineProgress:
    """A line every `every` seconds (and at the end): readable in a CI log."""

    def __init__(self, stream: IO[str], every: float = 5.0) -> None:
        self.stream, self.every = stream, every
        self.total = self.done = self.failing = 0
        self.last = 0.0
        self.started = False

    def start(self, total: int) -> None:
        self.total, self.last, self.started = total, time.monotonic(), True
        print(f"checking {total} links", file=self.stream, flush=True)

    def advance(self, result: LinkResult) -> None:
        self.done += 1
        # A failure to reach the host may yet mean "offline": it is not counted while running.
        self.failing += result.failing and not result.verdict.network_failure
        if self.started and time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            self._line()

    def _line(self) -> None:
        print(f"checked {self.done}/{self.total} links, {self.failing} failing", file=self.stream, flush=True)

    def stop(self) -> None:
        if self.total:
            self._line()


class BarProgress:
    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("checking links"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failing]} failing"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task = None
        self.failing = self.early = 0

    def start(self, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("links", total=total, completed=self.early, failing=self.failing)

    def advance(self, result: LinkResult) -> None:
        # A failure to reach the host may yet mean "offline": it is not counted while running.
        self.failing += result.failing and not result.verdict.network_failure
        if self._task is None:
            self.early += 1  # checked before the total was known: shown when the bar starts
            return
        self._bar.update(self._task, advance=1, failing=self.failing)

    def stop(self) -> None:
        if self._task is not None:  # interrupted before every file was collected: never shown
            self._bar.stop()


def progress_for(stream: IO[str] = sys.stderr, quiet: bool = False) -> Progress:
    if quiet:
        return SilentProgress()
    if stream.isatty():
        return BarProgress(stream)
    return LineProgress(stream)
