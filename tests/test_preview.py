"""The plain modules behind `make serve`'s live preview (scripts/preview/), without a server:
the reloader against hooks loaded the way MkDocs loads them, the watch of a file that
may not exist yet, and the steps around each build. tests/test_live_preview.py runs
them for real under `mkdocs serve`."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from mkdocs.config import load_config
from preview.builds import around_builds
from preview.file_watch import FileWatch
from preview.reload import Reloader, forget_code, run_again


def write(path: Path, text: str) -> None:
    """Write `text` and move the file's time on, as a later save would (two writes within
    the file system's time resolution would look like one)."""
    before = path.stat().st_mtime if path.exists() else 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    os.utime(path, (before + 2, before + 2))


@pytest.fixture
def scripts(tmp_path: Path) -> Iterator[Path]:
    """A scripts/ folder with a hook in hooks/ that imports a plain package, as the site has."""
    root = tmp_path / "scripts"
    write(root / "greeting/__init__.py", "")
    write(root / "greeting/words.py", 'WORD = "one"\n')
    write(
        root / "hooks/greet.py",
        """\
        import greeting.words


        def on_page_markdown(markdown, page, config, files):
            return f"{markdown} {greeting.words.WORD}"
        """,
    )
    (tmp_path / "docs").mkdir()
    write(tmp_path / "mkdocs.yml", "site_name: Reload\nhooks:\n  - scripts/hooks/greet.py\n")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        forget_code(root)


@pytest.fixture
def code(scripts: Path) -> Reloader:
    """A reloader of `scripts`, holding the hooks of the site's configuration as MkDocs loads them."""
    reloader = Reloader(scripts)
    reloader.hold(load_config(config_file=str(scripts.parent / "mkdocs.yml")).hooks.values())
    return reloader


def page_markdown(config_file: Path, markdown: str = "hello") -> str:
    """What the hooks of a freshly loaded configuration make of a page's Markdown,
    as every rebuild of `mkdocs serve` loads the configuration afresh."""
    config = load_config(config_file=str(config_file))
    return config.plugins.on_page_markdown(markdown, page=None, config=config, files=None)


def test_an_edited_hook_and_module_it_imports_are_used_by_the_next_configuration(
    scripts: Path, code: Reloader
):
    """The contract with MkDocs: it keeps each hook's module and reads its event handlers
    at every configuration load. If a MkDocs release stops doing so, this fails."""
    config_file = scripts.parent / "mkdocs.yml"
    assert page_markdown(config_file) == "hello one"
    code.after_build()  # the first build has loaded the code

    write(scripts / "greeting/words.py", 'WORD = "two"\n')
    assert page_markdown(config_file) == "hello one", "without the reloader the old code runs"
    code.before_build()
    assert page_markdown(config_file) == "hello two"
    code.after_build()

    write(
        scripts / "hooks/greet.py",
        """\
        import greeting.words


        def on_page_markdown(markdown, page, config, files):
            return f"{markdown}, {greeting.words.WORD}!"
        """,
    )
    code.before_build()
    assert page_markdown(config_file) == "hello, two!"


def test_nothing_is_reloaded_when_nothing_changed(scripts: Path, code: Reloader):
    config_file = scripts.parent / "mkdocs.yml"
    page_markdown(config_file)
    code.after_build()
    words = sys.modules["greeting.words"]
    code.before_build()
    assert sys.modules["greeting.words"] is words


def load_by_path(path: Path) -> ModuleType:
    """A module loaded from its file and held by its loader, as MkDocs loads a hook."""
    module = ModuleType(str(path))
    module.__file__ = str(path)
    run_again(module)
    return module


def test_a_handler_the_edit_removes_is_gone(tmp_path: Path):
    hook = tmp_path / "hook.py"
    write(
        hook,
        "def on_config(config):\n    return config\n\n\ndef on_env(env, config, files):\n    return env\n",
    )
    module = load_by_path(hook)
    write(hook, "def on_config(config):\n    return config\n")
    run_again(module)
    assert hasattr(module, "on_config")
    assert not hasattr(module, "on_env")


def test_a_hook_that_does_not_load_fails_every_build_until_it_is_fixed(scripts: Path, code: Reloader):
    """As a hook MkDocs cannot load fails each build: a rebuild of another edit must not
    quietly run without it."""
    config_file = scripts.parent / "mkdocs.yml"
    code.after_build()
    write(scripts / "greeting/words.py", "WORD = \n")
    with pytest.raises(SyntaxError):
        code.before_build()
    with pytest.raises(SyntaxError):
        code.before_build()  # no further edit: still refused
    write(scripts / "greeting/words.py", 'WORD = "fixed"\n')
    code.before_build()
    assert page_markdown(config_file) == "hello fixed"


def test_a_file_edited_during_a_build_still_counts_at_the_next(scripts: Path, code: Reloader):
    config_file = scripts.parent / "mkdocs.yml"
    code.after_build()
    # The build imported greeting.words; the contributor saves it again before the build ends.
    write(scripts / "greeting/words.py", 'WORD = "during"\n')
    code.after_build()
    code.before_build()
    assert page_markdown(config_file) == "hello during"


class Watcher:
    """Records what a FileWatch asks the server to watch."""

    def __init__(self) -> None:
        self.watched: list[Path] = []
        self.calls: list[str] = []
        self.warnings: list[str] = []

    def watch(self, path: Path) -> None:
        assert path.exists(), "the server cannot watch a path that does not exist"
        self.watched.append(path)
        self.calls.append(f"watch {path.name}")

    def unwatch(self, path: Path) -> None:
        self.watched.remove(path)
        self.calls.append(f"unwatch {path.name}")

    def file_watch(self, path: Path) -> FileWatch:
        return FileWatch(path, self.watch, self.unwatch, self.warnings.append)


def test_a_report_that_does_not_exist_yet_is_watched_through_its_folder(tmp_path: Path):
    report = tmp_path / ".cache/linkcheck/last-report.json"
    watcher = Watcher()
    watch = watcher.file_watch(report)
    watch.arm()
    assert watcher.watched == [report.parent]  # made, so that its creation is seen
    watch.arm()
    assert watcher.calls == ["watch linkcheck"]  # nothing changed, nothing done
    report.write_text("{}", encoding="utf-8")
    watch.arm()  # the build its creation caused
    assert watcher.watched == [report]  # the report alone: not the cache beside it
    assert watcher.calls == ["watch linkcheck", "watch last-report.json", "unwatch linkcheck"]
    report.unlink()
    watch.arm()
    assert watcher.watched == [report.parent]
    assert watcher.warnings == []


def test_a_folder_removed_and_made_again_is_watched_again(tmp_path: Path):
    report = tmp_path / ".cache/linkcheck/last-report.json"
    watcher = Watcher()
    watch = watcher.file_watch(report)
    watch.arm()
    report.parent.rmdir()  # `rm -rf .cache`: the old watch stopped with the folder
    watch.arm()
    assert watcher.watched == [report.parent]
    assert watcher.calls == ["watch linkcheck", "unwatch linkcheck", "watch linkcheck"]


def test_a_folder_that_cannot_be_made_is_reported_once_not_silently_skipped(tmp_path: Path):
    (tmp_path / ".cache").write_text("a file where the folder would be", encoding="utf-8")
    watcher = Watcher()
    watch = watcher.file_watch(tmp_path / ".cache/linkcheck/last-report.json")
    watch.arm()
    watch.arm()
    assert watcher.watched == []
    assert len(watcher.warnings) == 1
    assert watcher.warnings[0].startswith(f"cannot watch {tmp_path / '.cache/linkcheck/last-report.json'}")


def test_steps_run_around_each_build():
    calls: list[str] = []

    def build(name: str) -> str:
        calls.append(f"build {name}")
        if name == "broken":
            raise RuntimeError(name)
        return name

    wrapped = around_builds(build, before=lambda: calls.append("before"), after=lambda: calls.append("after"))
    assert wrapped("site") == "site"
    with pytest.raises(RuntimeError):
        wrapped("broken")
    assert calls == ["before", "build site", "after", "before", "build broken", "after"]

    def refuse() -> None:
        calls.append("refused")
        raise SyntaxError("hook")

    calls.clear()
    with pytest.raises(SyntaxError):
        around_builds(build, before=refuse, after=lambda: calls.append("after"))("site")
    assert calls == ["refused"]
