"""The layout of scripts/: commands at the top, one folder per job, and no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from site_build import REPO_ROOT

SCRIPTS = REPO_ROOT / "scripts"
# Each folder of scripts/ and the job it holds (README's layout table says the same).
FOLDERS = {
    "gates",
    "accessible_names",
    "referenced_by",
    "preview",
    "linkcheck",
    "hooks",
    "content",
    "audit",
    "scaffold",
    "templates",
    "csp",
    "diagrams",
    "redirects",
    "whats_new",
    "print_edition",
}
COMMANDS = sorted(path for path in SCRIPTS.glob("*.py"))

pytestmark = pytest.mark.gate


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SCRIPTS).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for path in SCRIPTS.rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, anywhere in it (a lazy import inside a function counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        found |= {name for name in names if name in modules}
    # `from a import b` names module a.b when there is one; a itself only for its own names.
    return found


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_module_in_scripts_imports_itself_round_a_cycle():
    modules = project_modules()
    graph = {name: imports_of(path, modules) - {name} for name, path in modules.items()}
    assert cycle_in(graph) is None


def test_the_link_checker_imports_one_way():
    """collect -> check -> network -> classify -> report: no step imports one before it."""
    modules = project_modules()
    steps = ["linkcheck.collect", "linkcheck.check", "linkcheck.network", "linkcheck.classify"]
    for position, name in enumerate(steps):
        assert not imports_of(modules[name], modules) & set(steps[:position]), name
    for name in modules:
        if name.startswith("linkcheck.report"):
            assert not imports_of(modules[name], modules) & set(steps), name


def test_scripts_holds_commands_and_one_folder_per_job():
    folders = {p.name for p in SCRIPTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders == FOLDERS
    assert not [p.name for p in SCRIPTS.iterdir() if p.is_file() and p.suffix not in (".py", ".sh")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda p: p.name)
def test_every_command_at_the_top_runs_from_anywhere(command: Path, tmp_path: Path):
    """A person runs `python scripts/x.py`: each command finds the packages beside it."""
    completed = subprocess.run(
        [sys.executable, str(command), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stderr
    assert "usage:" in completed.stdout


def test_a_hook_imports_the_packages_as_mkdocs_loads_it():
    """MkDocs loads a hook by file path and restores sys.path afterwards; a package
    first imported later (as a lazy import would) must still be found."""
    code = """
import importlib.util, sys
path = sys.argv[1]
spec = importlib.util.spec_from_file_location(path, path)
module = importlib.util.module_from_spec(spec)
saved = sys.path.copy()
sys.path.insert(0, sys.argv[2])
spec.loader.exec_module(module)
sys.path[:] = saved
import content.site_pages, gates.finding
print(module.render_page.__module__)
"""
    completed = subprocess.run(
        [sys.executable, "-c", code, str(SCRIPTS / "hooks/link_health.py"), str(SCRIPTS / "hooks")],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "linkcheck.report.health_page"
