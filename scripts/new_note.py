"""Create a new note: the page from a template, a stub diagram, its entry in mkdocs.yml's nav
and its line in published-pages.txt.

Usage: python scripts/new_note.py "Title" --section SECTION --tags TAG [TAG ...]

Run at a terminal with the title, section or tags left out, it asks for them,
listing the sections and tags to choose from, and for a one-sentence
description. Without a terminal it stops and lists them instead. It refuses,
with a one-line reason and without changing any file, an unknown section or
tag, or a slug that a page or diagram already uses (scripts/scaffold/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scaffold.note_plan import MAX_TAGS, Refusal, apply_plan, plan_note
from scaffold.questions import Choices, ask_description, ask_section, ask_tags, ask_title

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ARGS = '"Circuit breaker" --section reliability --tags reliability distributed-computing'


def at_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def site_choices(root: Path) -> tuple[Choices | None, str]:
    """The site's sections and tags, and how to show them (or why they cannot be read)."""
    try:
        choices = Choices.of_site(root)
    except (OSError, ValueError) as error:
        return None, f"(the sections and tags come from {root / 'mkdocs.yml'}, which cannot be read: {error})"
    return choices, choices.summary()


def build_parser(choices_text: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Create a note from the template, with a stub diagram and its nav entry. "
        "At a terminal, what is left out is asked for.",
        epilog=f"{choices_text}\n\nExample: python scripts/new_note.py {EXAMPLE_ARGS}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("title", nargs="?", help="the note's title, also its H1; the slug is made from it")
    parser.add_argument("--section", help="the docs/ folder to put it in (listed below)")
    parser.add_argument(
        "--tags",
        nargs="+",
        metavar="TAG",
        help=f"1 to {MAX_TAGS} tags from mkdocs.yml's tags_allowed (below)",
    )
    parser.add_argument(
        "--description",
        help="one sentence for search and link previews (default: a placeholder to rewrite)",
    )
    parser.add_argument("--slug", help="the file name without .md (default: made from the title)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    # The help and the error messages list the site's sections and tags, so read --root first.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--root", type=Path, default=REPO_ROOT)
    root = early.parse_known_args(argv)[0].root
    choices, choices_text = site_choices(root)
    parser = build_parser(choices_text)
    args = parser.parse_args(argv)
    title, section, description = args.title, args.section, args.description
    tags = [tag for value in args.tags or [] for tag in value.split(",") if tag]
    missing = [
        name for name, value in (("title", title), ("--section", section), ("--tags", tags)) if not value
    ]
    if missing:
        if not at_a_terminal() or choices is None:
            parser.error(f"the following arguments are required: {', '.join(missing)}\n{choices_text}")
        try:
            title = title or ask_title(input, print)
            section = section or ask_section(choices, input, print)
            tags = tags or ask_tags(choices, input, print)
            if description is None:
                description = ask_description(input, print)
        except (EOFError, KeyboardInterrupt):
            print("\nnew_note: stopped. Nothing was changed.", file=sys.stderr)
            return 1
    try:
        plan = plan_note(args.root, title, section, tags, description, args.slug)
        apply_plan(plan)
    except Refusal as refusal:
        print(f"new_note: refused: {refusal}. Nothing was changed.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"new_note: {error}. Nothing was changed.", file=sys.stderr)
        return 1
    print(f"Created {plan.note.relative_to(args.root)} and {plan.diagram.relative_to(args.root)}")
    listed = f" and listed it on {plan.section_index.relative_to(args.root)}" if plan.section_index else ""
    print(f"Added `- {plan.nav_path}` to the nav under {plan.section_title!r} in mkdocs.yml{listed}.")
    print("Recorded it in published-pages.txt: once published, its URL must keep working.")
    print("Next: write the note, draw the diagram, then run `make check`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
