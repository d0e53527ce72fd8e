"""Plan a new note, then write it: the page from a template, a stub diagram, its
entry in mkdocs.yml's nav and, when its section has an index page, a line there.

`plan_note` refuses, with a one-line reason and before anything is written, an
unknown section or tag, or a slug that a page or diagram already uses.
mkdocs.yml is edited by inserting one line after the section's last nav entry,
located from the parsed YAML, so its comments and tags stay as they are.
The section's index page (`docs/<section>/index.md`) gains a list item after
its last list, located from the parsed Markdown. `apply_plan` writes every
file or, on any failure, none.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml
from content.markdown_tokens import page_parser
from content.site_config import allowed_tags, load_config_text, nav_entries, section_titles
from content.site_pages import SECTION_INDEX
from redirects.published import PUBLISHED_FILE, load_published, write_published

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAX_TAGS = 3


class Refusal(Exception):
    """Why the note cannot be created; nothing has been written."""


@dataclass(frozen=True)
class NotePlan:
    note: Path
    note_text: str
    diagram: Path
    diagram_text: str
    config: Path
    config_text: str
    nav_path: str
    section_title: str
    # The section's index page and its text with the note listed, if it has one.
    section_index: Path | None = None
    section_index_text: str | None = None


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_title).split()
    return "-".join(words)


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        plain_ok = yaml.safe_load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def front_matter(title: str, description: str, tags: list[str]) -> str:
    lines = [f"title: {_yaml_scalar(title)}", f"description: {_yaml_scalar(description)}", "tags:"]
    lines += [f"  - {tag}" for tag in tags]
    return "\n".join(lines)


def insert_nav_entry(config_text: str, section_title: str, nav_path: str) -> str:
    """mkdocs.yml with `- nav_path` added as the last entry of the nav section `section_title`."""
    root = yaml.compose(config_text, Loader=yaml.SafeLoader)
    nav = next((value for key, value in root.value if key.value == "nav"), None)
    if not isinstance(nav, yaml.SequenceNode):
        raise Refusal("mkdocs.yml has no nav list")
    entries = None
    for item in nav.value:
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if key.value == section_title and isinstance(value, yaml.SequenceNode) and value.value:
                    entries = value
    if entries is None:
        raise Refusal(f"mkdocs.yml's nav has no section {section_title!r} with entries")
    last = entries.value[-1]
    lines = config_text.splitlines(keepends=True)
    lead = lines[last.start_mark.line][: last.start_mark.column].rstrip()
    if not lead.endswith("-"):
        raise Refusal(f"cannot place the entry in mkdocs.yml: write `- {nav_path}` under {section_title!r}")
    dash_column = len(lead) - 1
    # A block node ends at column 0 of the line after it; a scalar ends on its own line.
    after = last.end_mark.line if last.end_mark.column == 0 else last.end_mark.line + 1
    newline = "\n" if not lines[after - 1].endswith("\r\n") else "\r\n"
    if not lines[after - 1].endswith(("\n", "\r")):
        lines[after - 1] += newline
    lines.insert(after, f"{' ' * dash_column}- {nav_path}{newline}")
    return "".join(lines)


def _check_insertion(old_text: str, new_text: str, section_title: str, nav_path: str) -> None:
    """The edited config must differ from the old one only by the new nav entry."""
    old, new = load_config_text(old_text), load_config_text(new_text)
    old_nav, new_nav = old.pop("nav"), new.pop("nav")
    expected = [*nav_entries({"nav": old_nav})]
    got = nav_entries({"nav": new_nav})
    if (
        old != new
        or [e for e in got if e.path != nav_path] != expected
        or not any(e.path == nav_path and e.section == section_title for e in got)
    ):
        raise Refusal(f"cannot place the entry in mkdocs.yml: write `- {nav_path}` under {section_title!r}")


def list_in_index(index_text: str, title: str, link: str, description: str) -> str:
    """The index page with `- [title](link): description` after the last item of its last list."""
    lists = [t for t in page_parser().parse(index_text) if t.type == "bullet_list_open" and t.level == 0]
    text = title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    item = f"- [{text}]({link}): {description}\n"
    if not lists or lists[-1].map is None:
        return index_text.rstrip("\n") + "\n\n" + item
    lines = index_text.splitlines(keepends=True)
    end = lists[-1].map[1]
    while end > lists[-1].map[0] and not lines[end - 1].strip():
        end -= 1  # the list's map may take in the blank lines after it
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join([*lines[:end], item, *lines[end:]])


def plan_note(
    root: Path, title: str, section: str, tags: list[str], description: str | None, slug: str | None
) -> NotePlan:
    config_path = root / "mkdocs.yml"
    config_text = config_path.read_text(encoding="utf-8")
    config = load_config_text(config_text)
    title = title.strip()
    if not title or "\n" in title:
        raise Refusal("the title must be one non-empty line")
    sections = section_titles(config)
    if section not in sections:
        raise Refusal(f"unknown section {section!r}; choose from: {', '.join(sorted(sections))}")
    allowed = allowed_tags(config)
    unknown = [tag for tag in tags if tag not in allowed]
    if unknown:
        raise Refusal(f"unknown tag {unknown[0]!r}; choose from: {', '.join(allowed)}")
    if not 1 <= len(set(tags)) == len(tags) <= MAX_TAGS:
        raise Refusal(f"give 1 to {MAX_TAGS} different tags")
    slug = slug or slugify(title)
    if not slug or slugify(slug) != slug:
        raise Refusal(f"the slug {slug!r} must be lower-case words joined by hyphens")
    taken = sorted((root / "docs").rglob(f"{slug}.md"))
    if taken:
        raise Refusal(f"the slug {slug!r} is taken by {taken[0].relative_to(root)}; choose another --slug")
    nav_path = f"{section}/{slug}.md"
    if any(entry.path == nav_path for entry in nav_entries(config)):
        raise Refusal(f"mkdocs.yml's nav already lists {nav_path}")
    diagram = root / "diagrams" / f"{slug}-overview.mmd"
    if diagram.exists():
        raise Refusal(f"the diagram {diagram.relative_to(root)} already exists; choose another --slug")
    description = (description or f"{title}, what it is, when to use it and its trade-offs.").strip()
    note_text = Template((TEMPLATES / "note.md").read_text(encoding="utf-8")).substitute(
        front_matter=front_matter(title, description, tags),
        title=title,
        diagram=diagram.relative_to(root).as_posix(),
    )
    new_config = insert_nav_entry(config_text, sections[section], nav_path)
    _check_insertion(config_text, new_config, sections[section], nav_path)
    index = root / "docs" / section / SECTION_INDEX
    index_text = None
    if index.is_file():
        index_text = list_in_index(index.read_text(encoding="utf-8"), title, f"{slug}.md", description)
    return NotePlan(
        note=root / "docs" / nav_path,
        note_text=note_text,
        diagram=diagram,
        diagram_text=(TEMPLATES / "diagram.mmd").read_text(encoding="utf-8"),
        config=config_path,
        config_text=new_config,
        nav_path=nav_path,
        section_title=sections[section],
        section_index=index if index_text is not None else None,
        section_index_text=index_text,
    )


def apply_plan(plan: NotePlan) -> None:
    """Write the plan's files, list the note on its section's index page and record
    the new page in published-pages.txt (its URL is published from now on); on any
    failure or Ctrl-C, undo what was written."""
    root = plan.config.parent
    published_list = root / PUBLISHED_FILE
    original_config = plan.config.read_bytes()
    original_index = plan.section_index.read_bytes() if plan.section_index else None
    original_published = published_list.read_bytes() if published_list.is_file() else None
    created: list[Path] = []
    try:
        for path, text in ((plan.diagram, plan.diagram_text), (plan.note, plan.note_text)):
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as file:
                created.append(path)
                file.write(text)
        plan.config.write_text(plan.config_text, encoding="utf-8")
        if plan.section_index and plan.section_index_text is not None:
            plan.section_index.write_text(plan.section_index_text, encoding="utf-8")
        if original_published is not None:
            write_published(root, {*(load_published(root) or []), plan.nav_path})
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        plan.config.write_bytes(original_config)
        if plan.section_index and original_index is not None:
            plan.section_index.write_bytes(original_index)
        if original_published is not None:
            published_list.write_bytes(original_published)
        raise
