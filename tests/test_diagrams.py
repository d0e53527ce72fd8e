"""Every Mermaid diagram parses, and none carries raw HTML onto the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_diagrams import main as check_diagrams_main
from content.diagram_sources import Diagram, all_diagrams, html_tags
from gates.diagram_syntax import parse_all
from site_build import REPO_ROOT

DIAGRAMS = all_diagrams(REPO_ROOT)


def test_the_site_has_diagrams():
    assert len(list((REPO_ROOT / "diagrams").glob("*.mmd"))) >= 1
    assert DIAGRAMS


def test_every_diagram_parses():
    failures = parse_all(DIAGRAMS)
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda d: f"{d.path.relative_to(REPO_ROOT)}:{d.first_line}")
def test_no_raw_html_in_diagram(diagram: Diagram):
    assert html_tags(diagram) == [], "raw HTML in a diagram becomes live HTML on the page"


def test_a_broken_diagram_fails_with_its_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "diagrams" / "good.mmd").write_text("flowchart LR\n  A --> B\n")
    (tmp_path / "diagrams" / "broken.mmd").write_text("flowchart LR\n  A --> B\n  B -->> C ]\n")
    (tmp_path / "docs" / "note.md").write_text(
        "# Note\n\nText.\n\n```mermaid\nsequenceDiagram\n  A->>B: hello\n  B-->>: oops ]]\n```\n"
        '\n```mermaid\n--8<-- "diagrams/good.mmd"\n```\n'
    )
    assert check_diagrams_main(["--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"{tmp_path / 'diagrams' / 'broken.mmd'}:3: Parse error on line 3")
    assert err[1].startswith(f"{tmp_path / 'docs' / 'note.md'}:8: ")


def test_raw_html_is_found_with_its_line(tmp_path: Path):
    note = tmp_path / "note.md"
    diagram = Diagram(note, 10, "flowchart LR\n  A[ok] --> B\n  B --> C[<b>bold</b>]\n  C <--> D\n")
    assert html_tags(diagram) == [(12, "<b>"), (12, "</b>")]
