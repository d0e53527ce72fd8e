"""The layout of scripts/: commands at the top, one folder per job, and no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from content.site_config import load_config
from mkdocs.plugins import EVENTS
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


def imported_names(path: Path) -> set[str]:
    """The dotted names a file imports absolutely, anywhere in it (a lazy import inside a
    function counts): `import a.b` gives a.b; `from a import b` gives a.b and a."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, anywhere in it (a lazy import inside a function counts)."""
    # `from a import b` names module a.b when there is one; a itself only for its own names.
    return {name for name in imported_names(path) if name in modules}


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


# A hook is a thin adapter: its logic lives in a plain package that another builder
# (Zensical runs no MkDocs hooks) can call. Said precisely: a hook defines no class,
# and no function but MkDocs event handlers (`on_<event>`, for an event MkDocs has)
# and private helpers (`_name`); and it holds at most this many lines of code
# (docstrings, comments and blank lines not counted). The largest thin hook has 40.
HOOK_CODE_LINES = 45
HOOKS = SCRIPTS / "hooks"
# Modules of scripts/hooks/ that are not hooks: they serve the hooks.
HOOK_SUPPORT = {
    "scripts_root.py": "makes scripts/ importable from a hook",
    "pinned_npm.py": "npm files for the hooks that ship them, over content/npm_pins.py",
}
# Hooks that are not thin yet, each with why. Drawing moved to scripts/diagrams/
# (pages.py, session.py), but the hook still chooses between drawing and the
# no-Chromium preview, and publishes the font and, for that preview, the library.
NOT_THIN_YET = {"prerender_diagrams.py": "still holds the no-Chromium preview and the font publishing"}


def code_lines(tree: ast.Module, source: str) -> int:
    """Lines that hold code: not blank, not only a comment, not part of a docstring."""
    text = source.splitlines()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            continue  # a docstring
        lines.update(range(node.lineno, node.end_lineno + 1))
    return sum(1 for line in lines if text[line - 1].strip() and not text[line - 1].strip().startswith("#"))


def thinness_problems(path: Path) -> list[str]:
    """Why the hook at `path` is not a thin adapter (empty if it is one)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    problems = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            problems.append(f"defines class {node.name}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            event = node.name.removeprefix("on_")
            if node.name.startswith("on_") and event not in EVENTS:
                problems.append(f"{node.name} is not an MkDocs event (a typo would never run)")
            elif not node.name.startswith(("on_", "_")):
                problems.append(f"defines {node.name}, neither an event handler nor a private helper")
    if (lines := code_lines(tree, source)) > HOOK_CODE_LINES:
        problems.append(f"{lines} lines of code (at most {HOOK_CODE_LINES})")
    return problems


def listed_hooks() -> list[Path]:
    return [REPO_ROOT / hook for hook in load_config(REPO_ROOT)["hooks"]]


def test_every_module_of_hooks_is_a_listed_hook_or_serves_them():
    modules = {path.name for path in HOOKS.glob("*.py")}
    assert modules == {path.name for path in listed_hooks()} | set(HOOK_SUPPORT)
    assert set(NOT_THIN_YET) <= modules, "an exemption names a hook that is gone: drop it"


@pytest.mark.parametrize(
    "hook", [p for p in sorted(HOOKS.glob("*.py")) if p.name not in NOT_THIN_YET], ids=lambda p: p.name
)
def test_every_hook_is_a_thin_adapter(hook: Path):
    problems = thinness_problems(hook)
    if hook.name in HOOK_SUPPORT:  # not hooks: only their size is held to the rule
        problems = [p for p in problems if "lines of code" in p]
    assert problems == [], f"{hook.name}: move the logic into a plain package under scripts/"


def test_the_thinness_rule_refuses_logic(tmp_path: Path):
    thick = tmp_path / "thick.py"
    body = "".join(f"    total += {n}\n" for n in range(HOOK_CODE_LINES))
    thick.write_text(
        "class Walker:\n    pass\n\n\ndef collect(pages):\n    total = 0\n" + body + "    return total\n\n\n"
        "def on_page_contents(html, page, config, files):\n    return html\n",
        encoding="utf-8",
    )
    assert thinness_problems(thick) == [
        "defines class Walker",
        "defines collect, neither an event handler nor a private helper",
        "on_page_contents is not an MkDocs event (a typo would never run)",
        f"{HOOK_CODE_LINES + 7} lines of code (at most {HOOK_CODE_LINES})",
    ]
    thin = tmp_path / "thin.py"
    thin.write_text(
        '"""A docstring."""\n\nimport x  # a comment\n\n\ndef _helper(a):\n    return x.f(a)\n\n\n'
        "def on_page_content(html, page, config, files):\n    return _helper(html)\n",
        encoding="utf-8",
    )
    assert thinness_problems(thin) == []


def test_no_plain_module_imports_mkdocs():
    """Everything under scripts/ but the hooks runs without MkDocs, so another builder can call it."""
    modules = project_modules()
    importing = [
        name
        for name, path in modules.items()
        if not name.startswith("hooks.")
        and any(imported.partition(".")[0] == "mkdocs" for imported in imported_names(path))
    ]
    assert importing == []


def test_no_package_shares_a_hook_name():
    """While MkDocs loads a hook its folder comes first on the import path: a package named
    like a hook (scripts/backlinks/ beside hooks/backlinks.py) would not be found."""
    packages = {p.name for p in SCRIPTS.iterdir() if (p / "__init__.py").is_file()}
    assert packages & {p.stem for p in HOOKS.glob("*.py")} == set()
