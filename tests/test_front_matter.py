"""Every page's front matter fits the schema, and a bad one fails with file, line and field."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from content.site_pages import site_pages
from gates.front_matter import SchemaError, check_site
from gates.front_matter import main as front_matter_main
from mini_site import make_mini_site
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate


@functools.cache
def site_errors() -> tuple[SchemaError, ...]:
    return tuple(check_site(REPO_ROOT))


@pytest.mark.parametrize("page", site_pages(REPO_ROOT), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_page_front_matter_fits_the_schema(page: Path):
    errors = [error for error in site_errors() if error.path == page]
    assert not errors, "\n".join(map(str, errors))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_mini_site(tmp_path)


def write_note(site: Path, front: str, name: str = "data/bad.md") -> Path:
    path = site / "docs" / name
    path.write_text(f"---\n{front}---\n\n# Bad\n\nText.\n", encoding="utf-8")
    return path


def problems(site: Path) -> list[str]:
    return [str(error) for error in check_site(site)]


def test_the_mini_site_passes(site: Path):
    assert problems(site) == []


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("description: D.\ntags: [data]\n", ":1: title: missing"),
        ("title: ''\ndescription: D.\ntags: [data]\n", ":2: title: must be a non-empty string"),
        ("title: T\ntags: [data]\n", ":1: description: missing"),
        ("title: T\ndescription: D.\n", ":1: tags: missing"),
        ("title: T\ndescription: D.\ntags: []\n", ":4: tags: must be a list of 1 to 3 tags"),
        ("title: T\ndescription: D.\ntags: data\n", ":4: tags: must be a list of 1 to 3 tags"),
        (
            "title: T\ndescription: D.\ntags:\n  - data\n  - cooking\n",
            ":4: tags: 'cooking' is not an allowed tag; choose from: architecture, data",
        ),
        ("title: T\ndescription: D.\ntags: [data, data]\n", ":4: tags: lists data more than once"),
        (
            "title: T\ndescription: D.\ntags: [data, architecture, data, data]\n",
            ":4: tags: has 4 tags; use at most 3",
        ),
        (
            "title: T\ndescription: D.\ntags: [data]\nrelated: [data/missing.md]\n",
            ":5: related: 'data/missing.md' is not a note",
        ),
        (
            "title: T\ndescription: D.\ntags: [data]\nrelated: [data/bad.md]\n",
            ":5: related: 'data/bad.md' is this",
        ),
        ("title: T\ndescription: D.\ntags: [data]\ntag: [data]\n", ":5: tag: unknown field"),
        ("title: T\ndescription: [D.\ntags: [data]\n", "front matter: not valid YAML"),
        ("- title\n- description\n", ":1: front matter: front matter must be a mapping"),
        ("title: T\ndescription: " + "w" * 350 + "\ntags: [data]\n", ":3: description: is 350 characters"),
    ],
)
def test_a_bad_note_fails_with_file_line_field_and_problem(site: Path, front: str, expected: str):
    note = write_note(site, front)
    found = problems(site)
    assert len(found) >= 1
    assert any(line.startswith(str(note)) and expected in line for line in found), found


def test_a_good_related_list_passes(site: Path):
    write_note(site, "title: T\ndescription: D.\ntags: [data]\nrelated:\n  - foundations/coupling.md\n")
    assert problems(site) == []


def test_a_page_with_no_front_matter_fails(site: Path):
    (site / "docs/data/acid.md").write_text("# ACID\n\nText.\n", encoding="utf-8")
    assert problems(site) == [
        f"{site / 'docs/data/acid.md'}:1: front matter: missing: start the page with a `---` block"
    ]


def test_top_level_pages_need_no_tags_but_still_a_description(site: Path):
    (site / "docs/index.md").write_text("---\ntitle: Home\n---\n\n# Home\n", encoding="utf-8")
    assert problems(site) == [f"{site / 'docs/index.md'}:1: description: missing"]


def test_the_command_line_reports_and_exits_1(site: Path, capsys: pytest.CaptureFixture[str]):
    write_note(site, "title: T\ndescription: D.\ntags: [cooking]\n")
    assert front_matter_main(["--root", str(site)]) == 1
    captured = capsys.readouterr()
    assert "bad.md:4: tags: 'cooking' is not an allowed tag" in captured.err
    assert "1 front matter problems" in captured.out


def test_the_command_line_says_so_in_one_line_when_there_is_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert front_matter_main(["--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("front_matter: ") and "mkdocs.yml" in err and err.count("\n") == 1


# Issue 15, root cause 2: front matter reaches the templates unescaped.
@pytest.mark.parametrize(
    ("front", "line", "field", "problem"),
    [
        (
            "title: Bad\ndescription: 'x\"><script>alert(1)</script>'\ntags: [data]\n",
            3,
            "description",
            "has < >",
        ),
        ("title: <img src=x onerror=alert(1)>\ndescription: D.\ntags: [data]\n", 2, "title", "has < >"),
        ('title: Bad\ndescription: Ends the attribute" autofocus\ntags: [data]\n', 3, "description", 'has "'),
        ("title: Bad &lt;b&gt;\ndescription: D.\ntags: [data]\n", 2, "title", "character reference"),
        ("title: Bad\ndescription: D.\ntags: [data]\nicon: <svg/onload=alert(1)>\n", 5, "icon", "has < >"),
        ("title: Bad\ndescription: D.\ntags: [data]\ntemplate: redirect.html\n", 5, "template", "unknown"),
    ],
)
def test_markup_in_front_matter_fails_with_its_line(
    site: Path, front: str, line: int, field: str, problem: str
):
    page = write_note(site, front)
    found = [str(e) for e in check_site(site) if e.path == page]
    assert any(f.startswith(f"{page}:{line}: {field}: ") and problem in f for f in found), found


def test_an_ampersand_in_words_is_fine(site: Path):
    page = write_note(site, "title: Timeouts & retries\ndescription: Fast & slow paths.\ntags: [data]\n")
    assert [str(e) for e in check_site(site) if e.path == page and "character" in e.problem] == []
