"""CONTRIBUTING.md stays true, and the pre-commit config and GitHub templates are well formed."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from content.site_config import load_config, section_titles
from markdown_it import MarkdownIt
from new_note import main as new_note_main
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate

CONTRIBUTING = REPO_ROOT / "CONTRIBUTING.md"
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def shell_commands(markdown: Path) -> list[list[str]]:
    """Each command line of the ```sh blocks, split into words, comments dropped."""
    commands = []
    for token in MarkdownIt("commonmark").parse(markdown.read_text(encoding="utf-8")):
        if token.type == "fence" and token.info.strip() == "sh":
            commands += [shlex.split(line, comments=True) for line in token.content.splitlines()]
    return [command for command in commands if command]


def make_targets() -> set[str]:
    result = subprocess.run(["make", "-qp"], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return {
        line.split(":")[0]
        for line in result.stdout.splitlines()
        if line and line[0].isalpha() and ":" in line
    }


def test_every_make_command_in_the_guides_is_a_target():
    targets = make_targets()
    for guide in (CONTRIBUTING, REPO_ROOT / "README.md"):
        for command in shell_commands(guide):
            if command[0] == "make":
                assert set(command[1:]) <= targets, (guide.name, command)


def test_every_script_named_in_the_guide_exists():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    named = {word.strip("`(),.") for word in text.split() if word.strip("`(),.").startswith("scripts/")}
    assert named, "the guide names no script: the test would prove nothing"
    for path in named:
        assert (REPO_ROOT / path).exists(), path


def test_the_worked_example_runs_and_creates_what_the_guide_says(tmp_path: Path):
    [example] = [c for c in shell_commands(CONTRIBUTING) if "scripts/new_note.py" in c]
    args = example[example.index("scripts/new_note.py") + 1 :]
    created = ("docs/reliability/circuit-breaker.md", "diagrams/circuit-breaker-overview.mmd")
    # Run it on the site as it was before the example note: once a contributor
    # has followed the guide, the real nav lists it and the scaffold would refuse.
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("      - reliability/circuit-breaker.md\n", ""))
    (tmp_path / "docs").mkdir()
    assert new_note_main([*args, "--root", str(tmp_path)]) == 0
    text = CONTRIBUTING.read_text(encoding="utf-8")
    for path in created:
        assert (tmp_path / path).is_file() and path in text


def test_pre_commit_runs_what_make_check_runs():
    result = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    makefile = (REPO_ROOT / "Makefile").read_text()
    for hook in hooks:
        assert hook["language"] == "system"
        entry = hook["entry"].replace(".venv/bin/", "$(BIN)/")
        assert entry in makefile, f"{hook['id']} runs `{hook['entry']}`, which `make check` does not"
        assert (REPO_ROOT / hook["entry"].split()[0]).is_file()


@pytest.mark.parametrize(
    "form", sorted((REPO_ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml")), ids=lambda p: p.name
)
def test_issue_forms_are_well_formed(form: Path):
    data = yaml.safe_load(form.read_text(encoding="utf-8"))
    if form.name == "config.yml":
        assert isinstance(data["blank_issues_enabled"], bool)
        return
    assert data["name"] and data["description"] and data["body"]
    ids = [item["id"] for item in data["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    for item in data["body"]:
        assert item["type"] in FORM_TYPES
        if item["type"] == "markdown":
            assert item["attributes"]["value"]
            continue
        assert item["attributes"]["label"]
        if item["type"] in ("dropdown", "checkboxes"):
            assert item["attributes"]["options"]


def test_the_three_issue_forms_exist_and_sections_match_the_site():
    forms = {p.stem for p in (REPO_ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml")}
    assert {"broken-link", "error-in-a-note", "propose-a-topic"} <= forms
    topic = yaml.safe_load((REPO_ROOT / ".github/ISSUE_TEMPLATE/propose-a-topic.yml").read_text())
    [section] = [item for item in topic["body"] if item.get("id") == "section"]
    assert section["attributes"]["options"] == sorted(section_titles(load_config(REPO_ROOT)))


def test_the_pull_request_template_has_the_gates_checklist():
    template = (REPO_ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = [line for line in template.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 5
    for needed in ("`make check`", "`make build`", "scripts/new_note.py", "References"):
        assert any(needed in item for item in items), needed


def test_the_first_screen_tells_how_to_preview_a_diagram_edit_live():
    first_screen = "\n".join(CONTRIBUTING.read_text(encoding="utf-8").splitlines()[:30])
    assert "make serve" in first_screen and "reload" in first_screen
    diagrams = [w.strip("`(),.") for w in first_screen.split() if w.strip("`(),.").startswith("diagrams/")]
    assert diagrams, "the first screen does not say that a diagram edit shows live"
    assert all((REPO_ROOT / d).exists() for d in diagrams), diagrams
