"""The home page's "Every note" list links every note, so a new note cannot be left off it."""

from __future__ import annotations

import posixpath

import pytest
from content.site_pages import docs_path, notes
from gates.section_index import linked_pages
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate

HOME = REPO_ROOT / "docs/index.md"
EVERY_NOTE = "## Every note"


def every_note_section() -> str:
    text = HOME.read_text(encoding="utf-8")
    start = text.index(EVERY_NOTE)
    following = text.find("\n## ", start + len(EVERY_NOTE))
    return text[start : following if following != -1 else None]


def test_the_every_note_list_links_every_note():
    listed = linked_pages(every_note_section(), "index.md")
    missing = {docs_path(REPO_ROOT, note) for note in notes(REPO_ROOT)} - listed
    assert not missing, f"add these to the home page's {EVERY_NOTE!r} list: {sorted(missing)}"


def test_the_list_is_read_from_links_not_text():
    # A note named in prose or code but not linked does not count.
    section = "## Every note\n\nSee `[Sagas](workflows/sagas.md)` and the Sagas note.\n"
    assert linked_pages(section, "index.md") == set()
    assert linked_pages("- [Sagas](workflows/sagas.md): s.\n", "index.md") == {
        posixpath.normpath("workflows/sagas.md")
    }
