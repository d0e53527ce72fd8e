"""Benchmark what slimming the drawn diagrams saves, and what it costs to draw.

Usage: python scripts/bench_diagrams.py [--repeat R] [--json FILE]

Draws every diagram of the site (diagrams/*.mmd and the ones written in the
notes) in headless Chromium as the build does, once as Mermaid leaves it (no
slimming), once with each slimming step alone and once with all of them (what
the build does), each time into an empty cache, in the same run. Prints, for
each: the SVG bytes raw and gzipped (-9, each drawing on its own, as a page
holds them), their ratio to the unslimmed drawings, and the median drawing
time per diagram over R runs with its ratio too. Browser start-up is not
counted. Needs Chromium and `make setup`.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from content.diagram_sources import all_diagrams
from diagrams.browser import unavailable_reason
from diagrams.material import checkout_settings
from diagrams.renderer import DiagramRenderer, DiagramSource, diagram_id
from diagrams.settings import SLIMMING, RenderSettings
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
# Each variant: a name and the slimming steps it applies.
VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("none", ()),
    *((step, (step,)) for step in SLIMMING),
    ("all", SLIMMING),
)


@dataclass
class Result:
    variant: str
    drawings: int
    raw_bytes: int
    gzip_bytes: int
    seconds_per_diagram: list[float]


def draw_all(settings: RenderSettings, sources: list[DiagramSource]) -> tuple[list[str], float]:
    """Every source drawn into an empty cache: the SVGs and the drawing time per diagram."""
    with tempfile.TemporaryDirectory(prefix="bench-diagrams-") as cache:
        renderer = DiagramRenderer(settings, Path(cache))
        try:
            svgs = [renderer.render(source) for source in sources]
            return svgs, renderer.stats.drawing_seconds / len(sources)
        finally:
            renderer.close()


def bench(repeat: int, console: Console) -> list[Result]:
    sources = [
        DiagramSource(diagram.source, diagram_id(diagram.source), diagram.path, diagram.first_line)
        for diagram in all_diagrams(REPO_ROOT)
    ]
    base = checkout_settings(REPO_ROOT)  # what scripts/hooks/prerender_diagrams.py draws with
    results = {name: Result(name, len(sources), 0, 0, []) for name, _ in VARIANTS}
    # Round robin, so that a slower minute of a shared machine falls on every variant alike.
    for run in range(1, repeat + 1):
        for name, steps in VARIANTS:
            svgs, seconds = draw_all(dataclasses.replace(base, slimming=steps), sources)
            result = results[name]
            result.seconds_per_diagram.append(seconds)
            if run == 1:
                result.raw_bytes = sum(len(svg.encode()) for svg in svgs)
                result.gzip_bytes = sum(len(gzip.compress(svg.encode(), 9)) for svg in svgs)
            console.print(f"run {run}/{repeat}: {name}: {len(svgs)} drawn, {seconds * 1000:.1f} ms each")
    return list(results.values())


def report(console: Console, results: list[Result]) -> dict:
    none = results[0]
    base_time = statistics.median(none.seconds_per_diagram)
    table = Table(title=f"{none.drawings} diagrams of this site; the build applies all steps")
    for column in ("slimming", "raw KiB", "ratio", "gzip -9 KiB", "ratio", "ms per diagram", "ratio"):
        table.add_column(column, justify="left" if column == "slimming" else "right")
    figures = []
    for result in results:
        seconds = statistics.median(result.seconds_per_diagram)
        table.add_row(
            result.variant,
            f"{result.raw_bytes / 1024:,.1f}",
            f"{result.raw_bytes / none.raw_bytes:.3f}",
            f"{result.gzip_bytes / 1024:,.1f}",
            f"{result.gzip_bytes / none.gzip_bytes:.3f}",
            f"{seconds * 1000:.1f}",
            f"{seconds / base_time:.2f}",
        )
        figures.append({**dataclasses.asdict(result), "median_seconds_per_diagram": seconds})
    console.print(table)
    return {"variants": figures}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, metavar="R", help="runs of each variant (default 3)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    if missing := unavailable_reason():
        print(f"bench_diagrams: diagrams cannot be drawn here: {missing}", file=sys.stderr)
        return 2
    try:
        figures = report(console, bench(args.repeat, console))
    except KeyboardInterrupt:
        print("bench_diagrams: interrupted", file=sys.stderr)
        return 130
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
