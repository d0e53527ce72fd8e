"""The note scaffold creates a note that passes the gates, and refuses bad input without changing a file."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from content.site_config import load_config, nav_entries
from gates.content_gates import PAGE_GATES, SITE_GATES, run_gate
from gates.front_matter import check_site
from gates.markdown_lint import lint
from gates.template_leftovers import NOTE_TEMPLATE, prose
from mini_site import make_mini_site
from new_note import main as new_note_main
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_mini_site(tmp_path)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_it_creates_the_note_the_diagram_and_the_nav_entry(site: Path, capsys: pytest.CaptureFixture[str]):
    config_before = (site / "mkdocs.yml").read_text()
    code = new_note_main(["Eventual consistency", "--section", "data", "--tags", "data", "--root", str(site)])
    assert code == 0, capsys.readouterr().err
    note = site / "docs/data/eventual-consistency.md"
    diagram = site / "diagrams/eventual-consistency-overview.mmd"
    assert note.is_file() and diagram.is_file()
    assert '--8<-- "diagrams/eventual-consistency-overview.mmd"' in note.read_text()
    assert "# Eventual consistency\n" in note.read_text()
    # The config gains exactly one line, in the right section; comments and tags survive.
    config_after = (site / "mkdocs.yml").read_text()
    added = config_before.replace(
        "      - data/acid.md\n", "      - data/acid.md\n      - data/eventual-consistency.md\n"
    )
    assert config_after == added
    assert "# A comment the scaffold must keep." in config_after
    assert "!!python/name:pymdownx.superfences.fence_code_format" in config_after
    entries = nav_entries(load_config(site))
    assert any(
        e.section == "Data and consistency" and e.path == "data/eventual-consistency.md" for e in entries
    )
    assert "Created docs/data/eventual-consistency.md" in capsys.readouterr().out


def test_the_new_note_passes_the_schema_the_gates_and_the_linter(site: Path):
    args = ["Rate limiting: a #1 topic", "--section", "foundations", "--tags", "architecture", "data"]
    assert new_note_main([*args, "--root", str(site)]) == 0
    note = site / "docs/foundations/rate-limiting-a-1-topic.md"
    assert [str(error) for error in check_site(site)] == []
    for gate in [*PAGE_GATES, *SITE_GATES]:
        if gate != "template leftovers":
            assert [str(f) for f in run_gate(gate, site)] == [], gate
    # Until the contributor writes it, the note is the template's placeholders.
    # Every placeholder paragraph is reported: all of the template's prose but the lines the
    # scaffold fills in (`$title` and kin).
    placeholders = [text for _, text in prose(NOTE_TEMPLATE.read_text(encoding="utf-8")) if "$" not in text]
    leftovers = run_gate("template leftovers", site)
    assert len(leftovers) == len(placeholders) > 10 and {f.path for f in leftovers} == {note}
    assert lint([note]) == []


def test_the_stub_diagram_parses():
    from content.diagram_sources import Diagram
    from gates.diagram_syntax import parse_all

    stub = REPO_ROOT / "scripts/templates/diagram.mmd"
    assert parse_all([Diagram(stub, 1, stub.read_text())]) == []


def test_it_edits_the_real_config_by_one_line(tmp_path: Path):
    shutil.copy(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "docs/reliability").mkdir(parents=True)
    before = (tmp_path / "mkdocs.yml").read_text().splitlines()
    # A title no real note has (the nav lists the real ones), so the test holds
    # whatever notes are added; short, so its file name stays a legal length.
    title = "Scaffold self test"
    assert f"/{title.lower().replace(' ', '-')}.md" not in "\n".join(before)
    args = [title, "--section", "reliability", "--tags", "reliability", "--root", str(tmp_path)]
    assert new_note_main(args) == 0
    after = (tmp_path / "mkdocs.yml").read_text().splitlines()
    nav_path = f"reliability/{title.lower().replace(' ', '-')}.md"
    assert len(after) == len(before) + 1
    assert [line for line in after if line not in before] == [f"      - {nav_path}"]
    entries = nav_entries(load_config(tmp_path))
    assert any(e.section == "Reliability" and e.path == nav_path for e in entries)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["Coupling", "--section", "data", "--tags", "data"],
            "the slug 'coupling' is taken by docs/foundations/",
        ),
        (["Acid flow", "--section", "data", "--tags", "data", "--slug", "acid"], "the slug 'acid' is taken"),
        (
            ["Acid", "--section", "data", "--tags", "data", "--slug", "acid-flow"],
            "the slug 'acid-flow' is taken",
        ),
        (
            ["Sagas", "--section", "data", "--tags", "cooking"],
            "unknown tag 'cooking'; choose from: architecture, data",
        ),
        (
            ["Sagas", "--section", "recipes", "--tags", "data"],
            "unknown section 'recipes'; choose from: data, foundations",
        ),
        (["Sagas", "--section", "data", "--tags", "data", "data"], "give 1 to 3 different tags"),
        (["Sagas", "--section", "data", "--tags", "data", "--slug", "Bad Slug"], "must be lower-case words"),
        (["  ", "--section", "data", "--tags", "data"], "the title must be one non-empty line"),
    ],
)
def test_it_refuses_with_a_clear_message_and_changes_nothing(
    site: Path, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
):
    if "acid-flow" in args:
        (site / "docs/data/acid.md").rename(site / "docs/data/acid-flow.md")
    before = tree_digest(site)
    assert new_note_main([*args, "--root", str(site)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("new_note: refused: ") and reason in err and err.endswith("Nothing was changed.\n")
    assert tree_digest(site) == before


def test_an_existing_diagram_name_is_refused(site: Path, capsys: pytest.CaptureFixture[str]):
    (site / "diagrams/sagas-overview.mmd").write_text("flowchart LR\n  A --> B\n")
    before = tree_digest(site)
    assert new_note_main(["Sagas", "--section", "data", "--tags", "data", "--root", str(site)]) == 1
    assert "diagrams/sagas-overview.mmd already exists" in capsys.readouterr().err
    assert tree_digest(site) == before


def test_a_failed_write_rolls_back_everything(site: Path, monkeypatch: pytest.MonkeyPatch):
    import new_note

    before = tree_digest(site)
    real_write_text = Path.write_text

    def fail_on_config(self: Path, *args: object, **kwargs: object) -> int:
        if self.name == "mkdocs.yml":
            raise KeyboardInterrupt
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", fail_on_config)
    with pytest.raises(KeyboardInterrupt):
        new_note.main(["Sagas", "--section", "data", "--tags", "data", "--root", str(site)])
    monkeypatch.undo()
    assert tree_digest(site) == before


def test_help_explains_every_option():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts/new_note.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--section", "--tags", "--description", "--slug", "--root"):
        assert option in result.stdout


def test_it_lists_the_note_on_its_section_index_page(site: Path, capsys: pytest.CaptureFixture[str]):
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("      - data/acid.md\n", "      - data/index.md\n      - data/acid.md\n")
    )
    index = site / "docs/data/index.md"
    index.write_text(
        "---\ntitle: Data\ndescription: The data notes.\n---\n\n# Data\n\n- [ACID](acid.md): a.\n"
    )
    args = [
        "Eventual [consistency]",
        "--section",
        "data",
        "--tags",
        "data",
        "--description",
        "Converging later.",
    ]
    assert new_note_main([*args, "--root", str(site)]) == 0
    assert index.read_text().endswith(
        "- [ACID](acid.md): a.\n- [Eventual \\[consistency\\]](eventual-consistency.md): Converging later.\n"
    )
    assert "and listed it on docs/data/index.md" in capsys.readouterr().out
    assert [str(f) for f in run_gate("section index pages", site)] == []


def test_a_failed_index_write_rolls_back_everything(site: Path, monkeypatch: pytest.MonkeyPatch):
    import new_note

    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("      - data/acid.md\n", "      - data/index.md\n      - data/acid.md\n")
    )
    (site / "docs/data/index.md").write_text(
        "---\ntitle: Data\ndescription: D.\n---\n\n# Data\n\n- [ACID](acid.md): a.\n"
    )
    before = tree_digest(site)
    real_write_text = Path.write_text

    def fail_on_index(self: Path, *args: object, **kwargs: object) -> int:
        if self.name == "index.md":
            raise OSError("disk full")
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", fail_on_index)
    assert new_note.main(["Sagas", "--section", "data", "--tags", "data", "--root", str(site)]) == 1
    monkeypatch.undo()
    assert tree_digest(site) == before
