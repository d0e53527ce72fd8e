"""The sourcing gates: advice is attributed and bounded; References lead with primary sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from gates.sourcing import primary_sources, rules_of_thumb
from mini_site import make_mini_site

pytestmark = pytest.mark.gate

GOOD_RULE = """\
!!! rule-of-thumb "Rule of thumb, from Chris Richardson (microservices.io)"
    Use sagas between services.

    **When it does not hold:** two services that always change together are one.
"""


@pytest.fixture
def note(tmp_path: Path) -> Path:
    return make_mini_site(tmp_path) / "docs/foundations/coupling.md"


def insert_before_references(note: Path, text: str) -> int:
    """Put `text` before the References heading; return the 1-based line where it starts."""
    before, references, after = note.read_text(encoding="utf-8").partition("## References")
    note.write_text(before + text + "\n" + references + after, encoding="utf-8")
    return before.count("\n") + 1


def messages(findings: list) -> list[str]:
    return [str(finding) for finding in findings]


def test_the_mini_site_note_passes(note: Path):
    assert primary_sources(note) == []
    assert rules_of_thumb(note) == []


def test_an_attributed_rule_with_its_limit_passes(note: Path):
    insert_before_references(note, GOOD_RULE)
    assert rules_of_thumb(note) == []


def test_a_rule_of_thumb_without_attribution_fails_with_its_line(note: Path):
    line = insert_before_references(note, GOOD_RULE.replace("Rule of thumb, from Chris Richardson", "Advice"))
    [finding] = messages(rules_of_thumb(note))
    assert finding.startswith(f"{note}:{line}: rule of thumb without attribution")


def test_a_rule_of_thumb_that_names_nobody_fails(note: Path):
    insert_before_references(note, GOOD_RULE.replace(' from Chris Richardson (microservices.io)"', ' from "'))
    assert "without attribution" in messages(rules_of_thumb(note))[0]


def test_a_rule_of_thumb_that_never_says_when_it_fails_fails_with_its_line(note: Path):
    line = insert_before_references(note, GOOD_RULE.replace("**When it does not hold:**", "Usually,"))
    [finding] = messages(rules_of_thumb(note))
    assert finding.startswith(f"{note}:{line}: rule of thumb that never says when it fails")


def test_the_limit_must_be_inside_the_box(note: Path):
    unbounded = GOOD_RULE.replace("    **When it does not hold:**", "**When it does not hold:**")
    insert_before_references(note, unbounded)
    assert "never says when it fails" in messages(rules_of_thumb(note))[0]


def test_other_admonitions_are_not_rules_of_thumb(note: Path):
    insert_before_references(note, '!!! note "A note"\n    Plain fact.\n')
    assert rules_of_thumb(note) == []


def test_a_note_without_references_fails(note: Path):
    text = note.read_text(encoding="utf-8")
    note.write_text(text[: text.index("## References")], encoding="utf-8")
    [finding] = messages(primary_sources(note))
    assert finding == f"{note}:1: no `## References` section: every note lists its sources"


def test_references_that_open_with_further_reading_fail_with_the_heading_line(note: Path):
    text = note.read_text(encoding="utf-8").replace("### Primary sources", "### Further reading")
    note.write_text(text, encoding="utf-8")
    line = text[: text.index("## References")].count("\n") + 1
    [finding] = messages(primary_sources(note))
    assert finding == f"{note}:{line}: `## References` must open with `### Primary sources`"


def test_references_without_subsections_fail(note: Path):
    text = note.read_text(encoding="utf-8").replace("### Primary sources\n\n", "")
    note.write_text(text, encoding="utf-8")
    assert "must open with `### Primary sources`" in messages(primary_sources(note))[0]


def test_an_empty_primary_sources_section_fails(note: Path):
    text = note.read_text(encoding="utf-8")
    cut = text.index("- [The source]")
    note.write_text(text[:cut] + "None yet.\n", encoding="utf-8")
    assert "has no list of sources" in messages(primary_sources(note))[0]


def test_pages_that_are_not_notes_need_no_references(tmp_path: Path):
    site = make_mini_site(tmp_path)
    assert primary_sources(site / "docs/index.md") == []
    assert primary_sources(site / "docs/glossary.md") == []
