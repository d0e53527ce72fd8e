"""Ask a contributor at a terminal for what the command line of new_note.py left out:
the title, the section (listing the nav's sections), the tags (listing the allowed
ones) and a one-sentence description. Each answer is checked as it is given and
asked again until it is valid; nothing is written while asking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from content.site_config import allowed_tags, load_config, section_titles
from gates.front_matter import MAX_DESCRIPTION

from scaffold.note_plan import MAX_TAGS

Ask = Callable[[str], str]
Say = Callable[[str], None]


@dataclass(frozen=True)
class Choices:
    sections: dict[str, str]  # docs/ folder -> title of its nav section
    tags: list[str]

    @classmethod
    def of_site(cls, root: Path) -> Choices:
        config = load_config(root)
        return cls(dict(sorted(section_titles(config).items())), allowed_tags(config))

    def sections_text(self) -> str:
        width = max((len(folder) for folder in self.sections), default=0)
        return "\n".join(
            f"  {number:>2}. {folder:<{width}}  ({title})"
            for number, (folder, title) in enumerate(self.sections.items(), start=1)
        )

    def tags_text(self) -> str:
        return "\n".join(f"  {number:>2}. {tag}" for number, tag in enumerate(self.tags, start=1))

    def summary(self) -> str:
        """One line each, for an error message or --help."""
        sections = ", ".join(f"{folder} ({title})" for folder, title in self.sections.items())
        return f"sections: {sections}\ntags: {', '.join(self.tags)}"


def _pick(answer: str, options: list[str]) -> str | None:
    """An option given by its name or its number in the list shown."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    return answer if answer in options else None


def ask_title(ask: Ask, say: Say) -> str:
    while True:
        title = ask("Title of the note: ").strip()
        if title:
            return title
        say("The title cannot be empty.")


def ask_section(choices: Choices, ask: Ask, say: Say) -> str:
    say("Sections (the docs/ folder, then its place in the nav):\n" + choices.sections_text())
    folders = list(choices.sections)
    while True:
        answer = ask("Section (number or folder): ").strip()
        if (folder := _pick(answer, folders)) is not None:
            return folder
        say(f"{answer!r} is not one of the sections above; give its number or folder.")


def ask_tags(choices: Choices, ask: Ask, say: Say) -> list[str]:
    say("Allowed tags:\n" + choices.tags_text())
    while True:
        answer = ask(f"Tags, 1 to {MAX_TAGS} (numbers or names, separated by spaces or commas): ")
        words = answer.replace(",", " ").split()
        tags = [_pick(word, choices.tags) for word in words]
        unknown = [word for word, tag in zip(words, tags, strict=True) if tag is None]
        if unknown:
            say(f"{unknown[0]!r} is not an allowed tag.")
        elif not 1 <= len(set(tags)) == len(tags) <= MAX_TAGS:
            say(f"Give 1 to {MAX_TAGS} different tags.")
        else:
            return [tag for tag in tags if tag is not None]


def ask_description(ask: Ask, say: Say) -> str | None:
    """One sentence, or None to keep the template's placeholder (the contributor writes it later)."""
    while True:
        answer = ask("One sentence for search and link previews (Enter to write it later): ").strip()
        if not answer:
            return None
        if len(answer) <= MAX_DESCRIPTION:
            return answer
        say(f"That is {len(answer)} characters; keep it to {MAX_DESCRIPTION}, one sentence.")
