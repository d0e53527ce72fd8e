"""The front matter schema of the site's pages, and the check that applies it.

Every page has `title` and `description`; a note (a page in a section folder)
also has one to three `tags` from the controlled list in mkdocs.yml and may
list `related` notes by their path under docs/. Keys Material reads itself
(`hide`, `search`, `icon`, `status`) are allowed; any other key is
reported, since a misspelt key (`tag:`) would otherwise be silently ignored.

Usage: python scripts/check_front_matter.py [--root DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from content.site_config import allowed_tags, load_config
from content.site_pages import docs_path, is_note, notes, site_pages
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("title", "description")
OPTIONAL = ("tags", "related")
# Not `template`: a page that picks its own template (redirect.html writes front
# matter into a script) is a change to the theme, for a code owner to review.
MATERIAL_KEYS = ("hide", "search", "icon", "status")
# Search results and link previews cut far shorter; past this it is a paragraph, not a description.
MAX_DESCRIPTION = 300
MAX_TAGS = 3


@dataclass(frozen=True)
class SchemaError:
    path: Path
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.problem}"


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    # 1-based line of each key in the page, and of the opening `---`.
    key_lines: dict[str, int]
    first_line: int


class FrontMatterError(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def read_front_matter(text: str) -> FrontMatter | None:
    """The page's front matter, or None if it has none; raises FrontMatterError if it is not YAML."""
    tokens = MarkdownIt("commonmark").use(front_matter_plugin).parse(text)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None
    block = tokens[0]
    # The YAML starts on the line after the opening `---` (0-based map[0]).
    offset = block.map[0] + 2
    try:
        node = yaml.compose(block.content, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block.content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = offset + mark.line if mark is not None else block.map[0] + 1
        raise FrontMatterError(line, f"not valid YAML: {getattr(error, 'problem', error)}") from error
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(block.map[0] + 1, "front matter must be a mapping of `key: value` lines")
    key_lines = {str(key.value): offset + key.start_mark.line for key, _ in node.value}
    return FrontMatter(data, key_lines, block.map[0] + 1)


def _non_empty_line(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    if "\n" in value.strip():
        return "must be a single line"
    return None


# Material writes front matter into templates unescaped: the title into <title>,
# the header and the nav, the description into <meta content="...">. These
# characters would start markup or end the attribute; `&` is refused only where it
# starts a character reference (`&lt;`), which the browser turns back into `<`.
MARKUP_CHARACTERS = ("<", ">", '"', "`")


def _markup_problem(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    for item in values:
        if not isinstance(item, str):
            continue
        if found := [char for char in MARKUP_CHARACTERS if char in item]:
            return f"has {' '.join(found)}: the theme writes it into the page as HTML; reword without it"
        ampersand = item.find("&")
        while ampersand != -1:
            rest = item[ampersand + 1 :]
            name = rest.split(";", 1)[0]
            if ";" in rest and name and (name.isalnum() or name.startswith("#")):
                return "has a character reference (&...;): write the character itself, or reword"
            ampersand = item.find("&", ampersand + 1)
    return None


def _check_tags(value: Any, tags: list[str]) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"must be a list of 1 to {MAX_TAGS} tags from mkdocs.yml's tags_allowed"]
    problems = []
    if len(value) > MAX_TAGS:
        problems.append(f"has {len(value)} tags; use at most {MAX_TAGS}")
    for tag in value:
        if tag not in tags:
            problems.append(f"{tag!r} is not an allowed tag; choose from: {', '.join(tags)}")
    duplicates = sorted({str(tag) for tag in value if value.count(tag) > 1})
    if duplicates:
        problems.append(f"lists {', '.join(duplicates)} more than once")
    return problems


def _check_related(value: Any, own_path: str, note_paths: set[str]) -> list[str]:
    if not isinstance(value, list) or not value:
        return ["must be a list of note paths under docs/, e.g. `workflows/sagas.md`"]
    problems = []
    for entry in value:
        if entry == own_path:
            problems.append(f"{entry!r} is this note itself")
        elif entry not in note_paths:
            problems.append(
                f"{entry!r} is not a note (write its path under docs/, e.g. `workflows/sagas.md`)"
            )
    return problems


def check_page(root: Path, page: Path, tags: list[str], note_paths: set[str]) -> list[SchemaError]:
    try:
        front = read_front_matter(page.read_text(encoding="utf-8"))
    except FrontMatterError as error:
        return [SchemaError(page, error.line, "front matter", error.problem)]
    if front is None:
        return [SchemaError(page, 1, "front matter", "missing: start the page with a `---` block")]
    note = is_note(root, page)
    errors: list[SchemaError] = []

    def report(field: str, problem: str) -> None:
        errors.append(SchemaError(page, front.key_lines.get(field, front.first_line), field, problem))

    required = (*REQUIRED, "tags") if note else REQUIRED
    for field in required:
        if field not in front.data:
            report(field, "missing")
    for field in ("title", "description"):
        if field in front.data and (problem := _non_empty_line(front.data[field])):
            report(field, problem)
    description = front.data.get("description")
    if isinstance(description, str) and len(description) > MAX_DESCRIPTION:
        report(
            "description", f"is {len(description)} characters; keep it to {MAX_DESCRIPTION} (one sentence)"
        )
    if "tags" in front.data:
        for problem in _check_tags(front.data["tags"], tags):
            report("tags", problem)
    if "related" in front.data:
        for problem in _check_related(front.data["related"], docs_path(root, page), note_paths):
            report("related", problem)
    for field, value in front.data.items():
        if problem := _markup_problem(value):
            report(str(field), problem)
    known = (*REQUIRED, *OPTIONAL, *MATERIAL_KEYS)
    for field in front.data:
        if field not in known:
            report(str(field), f"unknown field; a page may have: {', '.join(known)}")
    return errors


def check_site(root: Path) -> list[SchemaError]:
    tags = allowed_tags(load_config(root))
    note_paths = {docs_path(root, note) for note in notes(root)}
    errors: list[SchemaError] = []
    for page in site_pages(root):
        errors.extend(check_page(root, page, tags, note_paths))
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check every page's front matter against the schema.")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        errors = check_site(args.root)
    except (OSError, ValueError) as error:
        print(f"front_matter: {error}", file=sys.stderr)
        return 2
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(site_pages(args.root))} pages checked, {len(errors)} front matter problems.")
    return 1 if errors else 0
