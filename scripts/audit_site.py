"""Audit the built site with Lighthouse and print the scores against the budgets.

Usage: python scripts/audit_site.py [--site-dir DIR] [--preset mobile|desktop]
                                    [--runs N] [--page PATH ...] [--json FILE]

Builds the site (strict) into a temporary folder, serves it on 127.0.0.1 with
gzip as a static host would, and runs Lighthouse (the pinned npm package, with
Debian's Chromium through CHROME_PATH) on the home page, the page with the most
diagrams and the largest page without any (the print edition, every note on
one page, is left out: audit it with --page print/). Chromium may resolve no host but
127.0.0.1, so the audit cannot reach the network. Prints one row per page: the
four category scores, total bytes transferred, largest contentful paint and
total blocking time. Budgets (mobile preset): accessibility, best practices and
SEO 100; performance 98 on a page without diagrams, 95 on one with diagrams
(drawn at build time as inline SVG, so no Mermaid library to load).
Exits 1 if a budget is missed, 2 if the audit could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audit.static_host import StaticHost
from print_edition.page import PAGE as PRINT_PAGE_SOURCE
from redirects.urls import page_url
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO_ROOT / "node_modules/lighthouse/cli/index.js"
# What the build puts in a page for each diagram (scripts/hooks/prerender_diagrams.py).
DRAWN_DIAGRAM = '<div class="mermaid"><svg '
# Where the build writes the print edition (print.md becomes print/).
PRINT_EDITION = page_url(PRINT_PAGE_SOURCE)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
    # Any name but 127.0.0.1 fails to resolve: nothing can leave the machine.
    ' --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'
)


@dataclass(frozen=True)
class Budget:
    """Minimum category scores (0-100) for one kind of page."""

    performance: int
    accessibility: int = 100
    best_practices: int = 100
    seo: int = 100


# A page with diagrams carries their SVG (and loads the diagram font): its own budget.
WITHOUT_DIAGRAMS = Budget(performance=98)
WITH_DIAGRAMS = Budget(performance=95)


@dataclass(frozen=True)
class AuditedPage:
    role: str  # why it was chosen: "home", "diagrams" (the most) or "plain" (none)
    path: str  # URL path under the site root
    diagrams: int

    @property
    def budget(self) -> Budget:
        return WITH_DIAGRAMS if self.diagrams else WITHOUT_DIAGRAMS


@dataclass(frozen=True)
class Scores:
    performance: int
    # Lowest and highest performance score over the runs: the spread is most of
    # the story on a shared machine, where CPU contention inflates blocking time.
    performance_range: tuple[int, int]
    accessibility: int
    best_practices: int
    seo: int
    total_bytes: int
    lcp_ms: float
    tbt_ms: float  # total blocking time: what Mermaid's parsing and drawing costs

    def missed(self, budget: Budget) -> list[str]:
        return [
            f"{name.replace('_', ' ')} {getattr(self, name)} < {getattr(budget, name)}"
            for name in ("performance", "accessibility", "best_practices", "seo")
            if getattr(self, name) < getattr(budget, name)
        ]


class AuditError(Exception):
    """The audit could not run (not: a budget was missed)."""


def build_site(destination: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        warnings = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
        raise AuditError("the site does not build: " + ("; ".join(warnings[:3]) or result.stderr[-500:]))


def url_path(site: Path, html: Path) -> str:
    return html.relative_to(site).as_posix().removesuffix("index.html")


def choose_pages(site: Path) -> list[AuditedPage]:
    """The home page, the page with the most diagrams, and the largest page without any."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        if html.relative_to(site).parts[0] == "assets" or html.name == "404.html":
            continue
        # The print edition holds every note on one page, to print or save as PDF:
        # it is not a page a reader browses, so it sets no budget (audit it with --page print/).
        if url_path(site, html) == PRINT_EDITION:
            continue
        text = html.read_text(encoding="utf-8")
        pages.append((url_path(site, html), text.count(DRAWN_DIAGRAM), len(text)))
    if not pages:
        raise AuditError(f"no pages in {site}")
    home = next((p for p in pages if p[0] == ""), None)
    if home is None:
        raise AuditError(f"no home page (index.html) in {site}")
    chosen = [AuditedPage("home", home[0], home[1])]
    with_diagrams = [p for p in pages if p[1] > 0]
    if with_diagrams:
        heaviest = max(with_diagrams, key=lambda p: (p[1], p[2]))
        chosen.append(AuditedPage("diagrams", heaviest[0], heaviest[1]))
    plain = [p for p in pages if p[1] == 0 and p[0] != ""]
    if plain:
        largest = max(plain, key=lambda p: p[2])
        chosen.append(AuditedPage("plain", largest[0], 0))
    return chosen


def given_pages(site: Path, paths: list[str]) -> list[AuditedPage]:
    chosen = []
    for path in paths:
        path = path.lstrip("/")
        html = site / path / "index.html" if not path or path.endswith("/") else site / path
        if not html.is_file():
            raise AuditError(f"--page {path!r}: no such page in the built site ({html} is missing)")
        diagrams = html.read_text(encoding="utf-8").count(DRAWN_DIAGRAM)
        role = "home" if path == "" else ("diagrams" if diagrams else "plain")
        chosen.append(AuditedPage(role, path, diagrams))
    return chosen


def run_lighthouse(url: str, preset: str, report: Path) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not report.is_file():
        raise AuditError(f"Lighthouse failed on {url}: {(result.stderr or result.stdout).strip()[-800:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def scores_of(lhr: dict) -> Scores:
    runtime_error = lhr.get("runtimeError")
    if runtime_error:
        url = lhr.get("requestedUrl")
        raise AuditError(f"Lighthouse could not load {url}: {runtime_error.get('message')}")

    def score(category: str) -> int:
        value = lhr["categories"][category]["score"]
        return round(value * 100) if value is not None else 0

    return Scores(
        performance=score("performance"),
        performance_range=(score("performance"), score("performance")),
        accessibility=score("accessibility"),
        best_practices=score("best-practices"),
        seo=score("seo"),
        total_bytes=int(lhr["audits"]["total-byte-weight"]["numericValue"]),
        lcp_ms=float(lhr["audits"]["largest-contentful-paint"]["numericValue"]),
        tbt_ms=float(lhr["audits"]["total-blocking-time"]["numericValue"]),
    )


def median_scores(runs: list[Scores]) -> Scores:
    """Per-metric medians: Lighthouse's performance score varies from run to run."""

    def median(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    performances = [run.performance for run in runs]
    return Scores(
        performance=round(median("performance")),
        performance_range=(min(performances), max(performances)),
        accessibility=round(median("accessibility")),
        best_practices=round(median("best_practices")),
        seo=round(median("seo")),
        total_bytes=round(median("total_bytes")),
        lcp_ms=median("lcp_ms"),
        tbt_ms=median("tbt_ms"),
    )


def failing_audits(lhr: dict) -> list[str]:
    """Non-performance audits that lost points, to say why a score is under 100."""
    lost = []
    for category in CATEGORIES[1:]:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{category}: {ref['id']} ({audit['title']})")
    return lost


def render(console: Console, preset: str, gzipped: bool, results: list[tuple[AuditedPage, Scores]]) -> None:
    compression = "with gzip" if gzipped else "WITHOUT gzip"
    table = Table(title=f"Lighthouse ({preset}), site served on 127.0.0.1 {compression}")
    columns = ("page", "diagrams", "perf", "a11y", "best pr.", "SEO", "KiB", "LCP s", "TBT ms", "budget")
    for column in columns:
        table.add_column(column, justify="left" if column in ("page", "budget") else "right")
    for page, scores in results:
        missed = scores.missed(page.budget)
        low, high = scores.performance_range
        table.add_row(
            f"/{page.path} ({page.role})",
            str(page.diagrams),
            f"{scores.performance}" + ("" if low == high else f" ({low}-{high})"),
            str(scores.accessibility),
            str(scores.best_practices),
            str(scores.seo),
            f"{scores.total_bytes / 1024:.0f}",
            f"{scores.lcp_ms / 1000:.1f}",
            f"{scores.tbt_ms:.0f}",
            "ok" if not missed else "MISSED: " + ", ".join(missed),
        )
    console.print(table)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--site-dir",
        type=Path,
        help="audit this already-built site instead of building one (default: build into a temporary folder)",
    )
    parser.add_argument(
        "--preset",
        choices=("mobile", "desktop"),
        default="mobile",
        help="Lighthouse's device and throttling preset (default: mobile, the budgets' preset)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="Lighthouse runs per page; the table shows per-metric medians (default: 1)",
    )
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="PATH",
        help="audit this URL path (e.g. workflows/sagas/) instead of the three chosen pages; repeatable",
    )
    parser.add_argument(
        "--no-gzip",
        action="store_true",
        help="serve without compression, to see what gzip buys (default: gzip, as GitHub Pages serves)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def check_tools() -> None:
    if not LIGHTHOUSE.is_file():
        raise AuditError(f"{LIGHTHOUSE.relative_to(REPO_ROOT)} is missing: run `make setup` (or `npm ci`)")
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).is_file():
        raise AuditError(f"no Chromium at {chrome}: install Debian's chromium or set CHROME_PATH")
    if shutil.which("node") is None:
        raise AuditError("node is not on PATH")


def audit(args: argparse.Namespace, console: Console, workdir: Path) -> list[tuple[AuditedPage, Scores]]:
    check_tools()
    site = args.site_dir
    if site is None:
        site = workdir / "site"
        with console.status("building the site (strict)"):
            build_site(site)
    elif not (site / "index.html").is_file():
        raise AuditError(f"--site-dir {site}: no index.html there")
    pages = given_pages(site, args.page) if args.page else choose_pages(site)
    results = []
    with StaticHost(site, gzip=not args.no_gzip) as base_url:
        for page in pages:
            runs = []
            for run in range(args.runs):
                status = f"Lighthouse {args.preset} on /{page.path} (run {run + 1} of {args.runs})"
                with console.status(status):
                    lhr = run_lighthouse(base_url + page.path, args.preset, workdir / "report.json")
                runs.append(scores_of(lhr))
                for problem in failing_audits(lhr):
                    console.print(f"  /{page.path}: {problem}", style="yellow")
            results.append((page, median_scores(runs)))
            console.print(f"audited /{page.path}")
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Wide enough for the table when the output is a file or a pipe.
    console = Console(width=None if sys.stdout.isatty() else 150)
    try:
        with tempfile.TemporaryDirectory(prefix="audit-site-") as workdir:
            results = audit(args, console, Path(workdir))
    except AuditError as error:
        print(f"audit_site: {error}", file=sys.stderr)
        return 2
    except subprocess.TimeoutExpired as error:
        print(f"audit_site: Lighthouse took longer than {error.timeout:.0f} s", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("audit_site: interrupted", file=sys.stderr)
        return 130
    render(console, args.preset, not args.no_gzip, results)
    if args.json:
        args.json.write_text(
            json.dumps([{"page": p.path, "role": p.role, **vars(s)} for p, s in results], indent=2) + "\n"
        )
    return 1 if any(s.missed(p.budget) for p, s in results) else 0


if __name__ == "__main__":
    sys.exit(main())
