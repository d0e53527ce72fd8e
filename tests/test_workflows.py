"""The GitHub workflows: pinned actions, least privilege, no persisted credentials,
zizmor clean, and CODEOWNERS on every file that runs code (issue 15, root cause 7)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_build import REPO_ROOT

pytestmark = pytest.mark.gate

WORKFLOWS = sorted((REPO_ROOT / ".github/workflows").glob("*.yml"))
# `owner/repo[/path]@<40 hex> # vX.Y.Z`: the commit runs, the comment says which release it is.
PINNED = re.compile(r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")
ZIZMOR = Path(sys.executable).with_name("zizmor")


def load(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    assert [line for line in lines if not PINNED.match(line)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_checkout_persists_its_credentials(path: Path):
    checkouts = [
        step for _, step in steps(load(path)) if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    assert all(step.get("with", {}).get("persist-credentials") == "false" for step in checkouts)


def test_the_deploy_build_has_no_write_or_oidc_permission():
    workflow = load(REPO_ROOT / ".github/workflows/deploy.yml")
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    # The job with Pages and OIDC rights runs no code from the repository: no checkout, no `run:`.
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert all("run" not in step and "checkout" not in step.get("uses", "") for step in deploy["steps"])


def test_no_workflow_runs_pull_requests_with_write_rights():
    assert all("pull_request_target" not in load(path)["on"] for path in WORKFLOWS)


PULL_REQUEST_WORKFLOWS = [path for path in WORKFLOWS if "pull_request" in load(path)["on"]]


def test_pull_requests_are_tested():
    assert [path.name for path in PULL_REQUEST_WORKFLOWS] == ["link-rot.yml", "tests.yml"]


@pytest.mark.parametrize("path", PULL_REQUEST_WORKFLOWS, ids=lambda p: p.name)
def test_pull_request_jobs_get_a_read_only_token_and_no_secrets(path: Path):
    workflow = load(path)
    assert "${{ secrets." not in path.read_text(encoding="utf-8")
    for name, job in workflow["jobs"].items():
        if job.get("if", "").strip() == "github.event_name != 'pull_request'":
            continue
        permissions = job.get("permissions", workflow.get("permissions"))
        assert permissions == {"contents": "read"}, f"{path.name}: job {name} gets {permissions}"


def test_zizmor_finds_nothing_of_medium_severity_or_more():
    assert ZIZMOR.is_file(), "zizmor is not installed: run `make setup`"
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "plain", ".github/workflows"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_catches_an_unpinned_action(tmp_path: Path):
    """The check above can fail: the same call on a workflow with the old `@v4` pin."""
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "plain", str(bad.parent)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


CODE_PATHS = [
    "mkdocs.yml",
    "overrides/404.html",
    "scripts/hooks/link_health.py",
    "Makefile",
    ".ci/run",
    ".github/workflows/deploy.yml",
    "package.json",
    "package-lock.json",
    "requirements.in",
    "requirements.txt",
]


def codeowners_rules() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (REPO_ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def owners_of(path: str) -> list[str]:
    """The owners of `path`: the last matching rule wins, as on GitHub (patterns used here only)."""
    found: list[str] = []
    for pattern, owners in codeowners_rules():
        anchored = pattern.lstrip("/")
        if anchored.endswith("/"):
            matches = path.startswith(anchored)
        else:
            matches = Path(path).match(anchored) if "*" in anchored else path == anchored
        if matches:
            found = owners
    return found


@pytest.mark.parametrize("path", CODE_PATHS)
def test_code_owners_review_every_file_that_runs_code(path: str):
    assert owners_of(path), f"{path} has no code owner"


def test_notes_need_no_code_owner():
    assert owners_of("docs/workflows/sagas.md") == []
