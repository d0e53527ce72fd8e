"""`python scripts/check_links.py [PATH ...]`: parse options, collect, check, report, exit.

Start-up counts (a contributor runs this on one changed file), so what only some
runs need is imported where it is used: git and subprocess for --added-since,
SQLite unless --no-cache, one renderer for the chosen format. And what is needed
only once the parser child has its files (URL parsing, the safety rule, the
network) is imported after they are handed over, while the child parses.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from linkcheck.collect import Collected, collect_links, collect_steps, input_files, input_size, plan_input
from linkcheck.config import CONFIG_FILE, REPO_ROOT, ConfigError, Settings, load_settings
from linkcheck.parse_child import ChildParser, collect_in_child, fork_parser
from linkcheck.progress import progress_for

if TYPE_CHECKING:
    from linkcheck.report import Report
    from linkcheck.safe_resolver import Resolver
    from linkcheck.safety import AddressRule

# Markdown takes at least this many bytes per link, text around it included: the input's size
# bounds the run's pages before they are all known, to choose the event loop (event_loop.py).
BYTES_PER_LINK = 100

EXIT_OK, EXIT_FAILING, EXIT_USAGE, EXIT_OFFLINE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("json", "markdown", "text")

DESCRIPTION = """\
Check every external link in the site's Markdown (docs/, README.md,
CONTRIBUTING.md) and mkdocs.yml, or in the files and folders given.
Each URL is fetched once, politely, and gets one verdict: ok, redirected,
dead, blocked, unreachable, invalid or excluded. Only dead and invalid fail.
Settings come from linkcheck.toml; options here override them. Option names
follow lychee's where they mean the same thing."""

EPILOG = """\
exit codes:
  0  no failing link
  1  failing links (dead or invalid)
  2  usage, configuration or input error (the rest is still checked)
  3  offline: no host could be resolved or reached, so nothing was judged
  130 interrupted (verdicts already found are kept in the cache)

A GITHUB_TOKEN in the environment is sent to GitHub's own hosts over HTTPS
only. With GITHUB_ACTIONS=true, failing links are also printed as ::error
annotations. Checking the whole site also writes the JSON report that the
site's Link health page is built from. The JSON format's schema is
described in scripts/linkcheck/report/json_report.py."""


def _whole_number(minimum: int, rule: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{rule}: {text!r}")
        return value

    return parse


_positive_int = _whole_number(1, "must be at least 1")
_count = _whole_number(0, "must not be negative")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    d = Settings()
    parser = argparse.ArgumentParser(
        prog="check_links.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add(
        "paths",
        nargs="*",
        metavar="PATH",
        help="Markdown files or folders, or a YAML file (default: the whole site)",
    )
    add(
        "--config",
        metavar="FILE",
        type=Path,
        help=f"settings file (default: {CONFIG_FILE.name} in the repository)",
    )
    add(
        "--max-concurrency",
        type=_positive_int,
        metavar="N",
        help=f"requests in flight at once (default: {d.max_concurrency})",
    )
    add(
        "--host-concurrency",
        type=_positive_int,
        metavar="N",
        help=f"requests in flight per host (default: {d.host_concurrency})",
    )
    add(
        "--host-request-interval",
        type=_seconds,
        metavar="SECONDS",
        help=f"minimum time between request starts on one host (default: {d.host_request_interval})",
    )
    add(
        "--max-retries",
        type=_count,
        metavar="N",
        help=f"retries after a timeout, reset, 408, 429 or 5xx (default: {d.max_retries})",
    )
    add(
        "--retry-wait-time",
        type=_seconds,
        metavar="SECONDS",
        help=f"base of the exponential backoff with full jitter (default: {d.retry_base})",
    )
    add("--timeout", type=_seconds, metavar="SECONDS", help=f"limit for one request (default: {d.timeout:g})")
    add(
        "--deadline",
        type=_seconds,
        metavar="SECONDS",
        help=f"limit for the whole run; links left are unreachable (default: {d.deadline:g})",
    )
    add(
        "--max-redirects",
        type=_count,
        metavar="N",
        help=f"redirects followed per link (default: {d.max_redirects})",
    )
    add("--user-agent", metavar="TEXT", help="User-Agent header (default: the one in the settings)")
    add(
        "--exclude",
        action="append",
        metavar="REGEX",
        help="skip URLs matching this regular expression (repeatable; added to the settings' list)",
    )
    add(
        "--added-since",
        metavar="REVISION",
        help="check only links that are new since this git revision (for pull requests, e.g. origin/main)",
    )
    add("--format", choices=FORMATS, default="text", help="report format (default: text)")
    add(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        help="write the report to FILE instead of standard output",
    )
    add("--cache", metavar="FILE", type=Path, help=f"SQLite cache of verdicts (default: {d.cache_path})")
    add("--no-cache", action="store_true", help="neither read nor write the cache")
    add(
        "--allow-local",
        action="store_true",
        help="allow loopback and private addresses (for tests and benchmarks)",
    )
    add("--no-progress", action="store_true", help="no progress display on standard error")
    add("--verbose", "-v", action="store_true", help="list ok and excluded links in the text report too")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config) if args.config else load_settings()
    if args.config and not args.config.exists():
        raise ConfigError(f"no such settings file: {args.config}")
    for pattern in args.exclude or []:
        import re

        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(f"--exclude {pattern!r} is not a valid regular expression: {error}") from None
    return settings.with_overrides(
        max_concurrency=args.max_concurrency,
        host_concurrency=args.host_concurrency,
        host_request_interval=args.host_request_interval,
        max_retries=args.max_retries,
        retry_base=args.retry_wait_time,
        timeout=args.timeout,
        deadline=args.deadline,
        max_redirects=args.max_redirects,
        user_agent=args.user_agent,
        exclude=(*settings.exclude, *(args.exclude or [])),
        allow_local=args.allow_local or None,
    )


def _render(report: Report, fmt: str, verbose: bool) -> str:
    if fmt == "json":
        from linkcheck.report.json_report import render_json

        return render_json(report)
    if fmt == "markdown":
        from linkcheck.report.markdown_report import render_markdown

        return render_markdown(report)
    from linkcheck.report.text_report import render_text

    return render_text(report, verbose)


def _under_repo(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else REPO_ROOT / candidate


def main(
    argv: list[str] | None = None,
    *,
    parsing_child: ChildParser | None = None,
    resolver: Resolver | None = None,
    ssl: object = True,
    is_public: AddressRule | None = None,
    stdout: IO[str] = sys.stdout,
    stderr: IO[str] = sys.stderr,
) -> int:
    """Run the checker. `parsing_child` is a Markdown parser forked by the caller before its own
    imports (check_links.py does); without one, one is forked here where it may be. `resolver`,
    `ssl` and `is_public` (default: safety.is_public_address) let tests keep every name and
    connection on loopback while one loopback address stands in for the public internet."""
    child = parsing_child or fork_parser()
    try:
        return _run(argv, child, resolver, ssl, is_public, stdout, stderr)
    finally:
        if child:
            child.close()
        # The network part froze what lives until the report is out (network.check_pages).
        gc.unfreeze()


def _run(
    argv: list[str] | None,
    child: ChildParser | None,
    resolver: Resolver | None,
    ssl: object,
    is_public: AddressRule | None,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    args = build_parser().parse_intermixed_args(argv)
    try:
        settings = _settings(args)
    except ConfigError as error:
        print(f"check_links: configuration error: {error}", file=stderr)
        return EXIT_USAGE
    # Only a check of the whole site replaces the report the Link health page is built from.
    whole_site = not args.paths and not args.added_since
    paths = [Path(p) for p in args.paths] if args.paths else [_under_repo(p) for p in settings.paths]
    cache = None
    if not args.no_cache:
        from linkcheck.cache import CacheError, ResultCache

        try:
            cache = ResultCache(args.cache if args.cache else _under_repo(settings.cache_path))
        except CacheError as error:
            print(f"check_links: {error}", file=stderr)
            return EXIT_USAGE
    progress = progress_for(stderr, quiet=args.no_progress)
    steps = None
    pages_hint = None
    if args.added_since:
        # Only the links that are new since the revision are checked: every file is read first.
        from linkcheck.added import RevisionError, only_added, urls_at_revision

        try:
            before = urls_at_revision(REPO_ROOT, args.added_since, paths)
            collected = only_added(collect_links(paths, REPO_ROOT, memo=cache), before)
        except RevisionError as error:
            print(f"check_links: --added-since {args.added_since}: {error}", file=stderr)
            if cache:
                cache.close()
            return EXIT_USAGE
    else:
        # A pipeline: the links of each file are checked while the next one is parsed, in a child
        # process where one can be forked (parse_child.py), else here between two network turns.
        collected = Collected()
        files = input_files(paths)
        pages_hint = input_size(files) // BYTES_PER_LINK
        in_child = child and collect_in_child(plan_input(files, REPO_ROOT), collected, cache, child)
        steps = in_child or collect_steps(files, REPO_ROOT, collected, memo=cache)

    # Imported only now, for the reason in this module's docstring.
    from linkcheck.check import check_links
    from linkcheck.safety import is_public_address

    def all_collected() -> None:
        for problem in collected.problems:
            print(f"check_links: skipped {problem}", file=stderr)
        progress.start(len(collected.urls))

    started = time.monotonic()
    try:
        run = check_links(
            collected.urls,
            settings,
            steps=steps,
            on_collected=all_collected,
            pages_hint=pages_hint,
            cache=cache,
            resolver=resolver,
            ssl=ssl,
            token=os.environ.get("GITHUB_TOKEN") or None,
            on_result=progress.advance,
            is_public=is_public or is_public_address,
        )
    except KeyboardInterrupt:
        progress.stop()
        kept = "kept in the cache" if cache else "not kept (--no-cache)"
        print("check_links: interrupted; the verdicts found so far are " + kept, file=stderr)
        return EXIT_INTERRUPTED
    finally:
        if cache:
            cache.close()
    progress.stop()

    if run.offline:
        print(
            f"check_links: offline: none of the {run.hosts_tried} hosts tried could be resolved or reached, "
            "so no link was judged; run again with a network connection.",
            file=stderr,
        )
        return EXIT_OFFLINE

    from linkcheck.report import Report

    report = Report.of(run.links)
    rendered = _render(report, args.format, args.verbose)
    if args.output:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(rendered, encoding="utf-8")
        except OSError as error:
            print(f"check_links: cannot write {args.output}: {error.strerror or error}", file=stderr)
            return EXIT_USAGE
    else:
        stdout.write(rendered)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from linkcheck.report.github_annotations import render_annotations

        stdout.write(render_annotations(report))
    if whole_site:
        last = _under_repo(settings.report_path)
        from linkcheck.report.json_report import render_json

        try:
            last.parent.mkdir(parents=True, exist_ok=True)
            last.write_text(render_json(report), encoding="utf-8")
        except OSError as error:
            print(f"check_links: cannot write {last}: {error.strerror or error}", file=stderr)
    elapsed = time.monotonic() - started
    print(
        f"check_links: {len(run.links)} links in {elapsed:.1f} s "
        f"({run.checked} checked, {run.from_cache} fresh in the cache), {len(report.failing)} failing",
        file=stderr,
    )
    if collected.problems:
        return EXIT_USAGE
    return EXIT_FAILING if report.failing else EXIT_OK
