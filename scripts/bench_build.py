"""Benchmark the site build at scale: this site's configuration against bare Material.

Usage: python scripts/bench_build.py [--notes N] [--sizes N,N,...] [--repeat R] [--keep DIR]

Generates a synthetic knowledge base in a temporary folder (a git repository,
as the real one is, since a plugin reads each page's date from git): notes of a
realistic length, each with two diagrams pulled in by snippet lines, a table,
an admonition and links to other notes. As a real knowledge base grows, its
top-level sections stay few (10, as here) and fill with topics of 25 notes. It then
builds N notes with this site's configuration (mkdocs.yml inherited whole, with
its plugins and hooks; only the docs folder and nav differ) and with a bare
Material configuration (theme, nav, snippets and the Mermaid fence only), in
the same run, and prints both times, their ratio and the built sizes. Each size
in --sizes is built with this site's configuration too, to show that the built
size grows linearly with the number of notes: the KiB each added note costs
stays flat only if pages do not each carry the whole navigation. Targets: ratio
at most 1.2, our build under 15 s for 1,000 notes on 2 cores, flat KiB per note.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from content.site_config import load_config
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
SECTIONS = 10
NOTES_PER_TOPIC = 25
TAGS = ("architecture", "consistency", "messaging", "reliability", "workflows", "data")

FLOWCHART = """flowchart LR
  accTitle: Request path of synthetic note {n}
  accDescr: A client calls a gateway, which calls service {n} and its database.
  C[Client] --> G[Gateway]
  G --> S{n}[Service {n}]
  S{n} --> D[(Database)]
  S{n} -.->|event| Q[[Queue]]
"""
SEQUENCE = """sequenceDiagram
  accTitle: Exchange in synthetic note {n}
  accDescr: The client sends a command, the service stores it and replies.
  participant C as Client
  participant S as Service {n}
  C->>S: command
  S->>S: store
  S-->>C: reply
"""
NOTE = """---
title: Synthetic note {n}
description: Synthetic note {n} of the build benchmark, about trade-offs of service {n}.
tags:
  - {tag}
---

# Synthetic note {n}

Service {n} sits behind a gateway and talks to a database over the network. This
paragraph is about as long as a real note's opening: it names the problem, the
usual fix and where the fix stops working, with a link to [the next note]({next})
and [an earlier one]({previous}). Each network call can fail, so each call needs
a timeout and, for idempotent operations only, a bounded retry.

```mermaid
--8<-- "diagrams/synthetic-{n}-flow.mmd"
```

## Trade-offs

| choice | gains | costs |
| --- | --- | --- |
| synchronous call | simple to read and debug | couples availability |
| asynchronous message | absorbs bursts | eventual consistency |
| saga | no distributed lock | compensations to write |

!!! warning "When it breaks"
    Retries without backoff and jitter turn a slow dependency into an outage.

```mermaid
--8<-- "diagrams/synthetic-{n}-sequence.mmd"
```

## Sources

- Fowler, *Patterns of Enterprise Application Architecture*, 2002.
- Kleppmann, *Designing Data-Intensive Applications*, 2017.
"""


@dataclass(frozen=True)
class Build:
    label: str
    notes: int
    seconds: float
    site_bytes: int


class BenchError(Exception):
    """The benchmark could not run."""


def topic_of(n: int) -> int:
    return n // NOTES_PER_TOPIC


def note_path(n: int) -> str:
    topic = topic_of(n)
    return f"section-{topic % SECTIONS:02d}/topic-{topic:03d}/note-{n:04d}.md"


def generate(root: Path, notes: int) -> list:
    """Write the synthetic docs/ and diagrams/ under root; return the nav."""
    docs, diagrams = root / "docs", root / "diagrams"
    shutil.copytree(REPO_ROOT / "docs" / "includes", docs / "includes")
    for assets in ("stylesheets", "javascripts"):
        if (REPO_ROOT / "docs/assets" / assets).is_dir():
            shutil.copytree(REPO_ROOT / "docs/assets" / assets, docs / "assets" / assets)
    diagrams.mkdir()
    (docs / "index.md").write_text(
        "---\ntitle: Synthetic notes\ndescription: The build benchmark's home page.\n---\n\n"
        f"# Synthetic notes\n\n{notes} notes in {SECTIONS} sections, in topics of {NOTES_PER_TOPIC}.\n"
    )
    (docs / "tags.md").write_text(
        "---\ntitle: Tags\ndescription: Every note, grouped by tag.\n---\n\n"
        "# Tags\n\n<!-- material/tags -->\n"
    )
    sections: dict[str, dict[str, list[str]]] = {}
    for n in range(notes):
        path = docs / note_path(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        next_note, previous_note = (
            os.path.relpath(docs / note_path(other % notes), path.parent) for other in (n + 1, n - 7)
        )
        path.write_text(NOTE.format(n=n, tag=TAGS[n % len(TAGS)], next=next_note, previous=previous_note))
        (diagrams / f"synthetic-{n}-flow.mmd").write_text(FLOWCHART.format(n=n))
        (diagrams / f"synthetic-{n}-sequence.mmd").write_text(SEQUENCE.format(n=n))
        topic = topic_of(n)
        section = sections.setdefault(f"Section {topic % SECTIONS}", {})
        section.setdefault(f"Topic {topic}", []).append(note_path(n))
    nav_sections = [
        {title: [{topic: pages} for topic, pages in topics.items()]}
        for title, topics in sorted(sections.items())
    ]
    return [{"Home": "index.md"}, *nav_sections, {"Tags": "tags.md"}]


def commit_all(root: Path) -> None:
    """Make root a git repository with everything committed, as the real checkout is."""
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid")
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "synthetic notes"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)


def our_config(root: Path, nav: list) -> Path:
    """mkdocs.yml inherited whole; only the docs, the nav and absolute hook paths differ. Named
    mkdocs.yml: hooks read settings from the mkdocs.yml beside the config (snippet_paths)."""
    settings = load_config(REPO_ROOT)
    hooks = [str(REPO_ROOT / hook) for hook in settings.get("hooks", [])]
    config = {
        "INHERIT": str(REPO_ROOT / "mkdocs.yml"),
        "docs_dir": "docs",
        "nav": nav,
        # Paths in mkdocs.yml are relative to it; these would resolve from the copy.
        "hooks": hooks,
        "watch": [str(REPO_ROOT / folder) for folder in settings.get("watch", [])],
        "theme": {"custom_dir": str(REPO_ROOT / "overrides")},
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def bare_config(root: Path, nav: list) -> Path:
    """Material as its docs set it up for diagrams, and nothing else."""
    text = yaml.safe_dump(
        {"site_name": "Synthetic notes", "docs_dir": "docs", "theme": {"name": "material"}, "nav": nav},
        sort_keys=False,
    )
    text += (
        "exclude_docs: |\n  includes/\n"
        "markdown_extensions:\n"
        "  - pymdownx.snippets:\n      base_path: [.]\n"
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          class: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    path = root / "mkdocs-bare.yml"
    path.write_text(text)
    return path


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(root: Path, config: Path, label: str, notes: int) -> Build:
    site = root / f"site-{label}-{notes}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise BenchError(f"the {label} build of {notes} notes failed: {result.stderr.strip()[-800:]}")
    return Build(label, notes, seconds, folder_bytes(site))


def bench(args: argparse.Namespace, console: Console, workdir: Path) -> tuple[list[Build], Build]:
    ours: list[Build] = []
    bare: Build | None = None
    for notes in sorted({*args.sizes, args.notes}):
        root = workdir / f"kb-{notes}"
        with console.status(f"generating {notes} synthetic notes"):
            root.mkdir()
            nav = generate(root, notes)
            commit_all(root)
        for attempt in range(args.repeat):
            if notes == args.notes:
                with console.status(f"building {notes} notes, bare Material (run {attempt + 1})"):
                    run = build(root, bare_config(root, nav), "bare", notes)
                bare = run if bare is None or run.seconds < bare.seconds else bare
            with console.status(f"building {notes} notes, this site's configuration (run {attempt + 1})"):
                run = build(root, our_config(root, nav), "ours", notes)
            best = next((b for b in ours if b.notes == notes), None)
            if best is None or run.seconds < best.seconds:
                ours = [b for b in ours if b.notes != notes] + [run]
        console.print(f"built {notes} notes")
    assert bare is not None
    return sorted(ours, key=lambda b: b.notes), bare


def report(console: Console, ours: list[Build], bare: Build, args: argparse.Namespace) -> dict:
    ours_at_n = next(b for b in ours if b.notes == args.notes)
    ratio = ours_at_n.seconds / bare.seconds
    table = Table(title=f"Build benchmark (best of {args.repeat}), {os.cpu_count()} CPUs")
    for column in ("configuration", "notes", "build s", "site MiB", "KiB per note"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    for run in [bare, *ours]:
        table.add_row(
            "bare Material" if run.label == "bare" else "this site",
            str(run.notes),
            f"{run.seconds:.1f}",
            f"{run.site_bytes / 2**20:.1f}",
            f"{run.site_bytes / run.notes / 1024:.1f}",
        )
    console.print(table)
    console.print(
        f"{args.notes} notes: this site {ours_at_n.seconds:.1f} s, bare Material {bare.seconds:.1f} s, "
        f"ratio {ratio:.2f} (target <= 1.2); under 15 s: {'yes' if ours_at_n.seconds < 15 else 'NO'}"
    )
    # Fixed assets (Mermaid alone is 3.5 MB) hide growth in a total; what each
    # added note costs must stay flat if navigation is not copied into every page.
    for smaller, larger in itertools.pairwise(ours):
        added = (larger.site_bytes - smaller.site_bytes) / (larger.notes - smaller.notes) / 1024
        console.print(f"notes {smaller.notes} -> {larger.notes}: {added:.1f} KiB per added note")
    return {
        "notes": args.notes,
        "ours_seconds": ours_at_n.seconds,
        "bare_seconds": bare.seconds,
        "ratio": ratio,
        "sizes": {str(b.notes): b.site_bytes for b in ours},
        "bare_site_bytes": bare.site_bytes,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--notes", type=int, default=1000, help="notes in the timed comparison (default: 1000)"
    )
    parser.add_argument(
        "--sizes",
        default="250,500",
        help="other sizes, comma-separated, built with this site's configuration for the size curve "
        "(default: 250,500; empty for none)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="builds per configuration and size; the fastest counts (default: 1)",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep it (default: a temporary folder)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}")
    if args.notes < 1 or any(size < 1 for size in args.sizes) or args.repeat < 1:
        parser.error("--notes, --sizes and --repeat must be at least 1")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 120)
    try:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            ours, bare = bench(args, console, args.keep)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-build-") as workdir:
                ours, bare = bench(args, console, Path(workdir))
    except BenchError as error:
        print(f"bench_build: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"bench_build: {' '.join(error.cmd)} failed: {error.stderr}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_build: interrupted", file=sys.stderr)
        return 130
    figures = report(console, ours, bare, args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
