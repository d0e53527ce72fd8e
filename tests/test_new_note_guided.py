"""new_note.py guides: at a terminal it asks for what is missing, listing the choices;
without one it stops with a message that lists them; --help lists them too."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from content.site_config import allowed_tags, load_config, section_titles
from mini_site import make_mini_site
from site_build import REPO_ROOT
from test_new_note import tree_digest

NEW_NOTE = str(REPO_ROOT / "scripts/new_note.py")
TIMEOUT = 60
TAGS_PROMPT = "(numbers or names, separated by spaces or commas): "
SECTION_PROMPT = "Section (number or folder): "
DESCRIPTION_PROMPT = "(Enter to write it later): "

pytestmark = pytest.mark.gate


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_mini_site(tmp_path)


class Terminal:
    """new_note.py run on a pseudo-terminal, answered prompt by prompt as a person would."""

    def __init__(self, *args: str) -> None:
        self.fd, child = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, NEW_NOTE, *args], stdin=child, stdout=child, stderr=child, close_fds=True
        )
        os.close(child)
        self.output = ""

    def _read(self, deadline: float) -> bool:
        """Read what is there; False once the program has closed the terminal."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the program's side of the terminal is closed
            return False
        self.output += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(chunk)

    def expect(self, prompt: str) -> str:
        """Wait for `prompt`; return everything shown since the last answer."""
        start = len(self.output)
        deadline = time.monotonic() + TIMEOUT
        while prompt not in self.output[start:]:
            if time.monotonic() > deadline or not self._read(deadline):
                pytest.fail(f"no prompt {prompt!r}; the terminal shows:\n{self.output}")
        return self.output[start:]

    def answer(self, prompt: str, text: str) -> str:
        shown = self.expect(prompt)
        os.write(self.fd, text.encode() + b"\n")
        return shown

    def end_of_input(self, prompt: str) -> None:
        self.expect(prompt)
        os.write(self.fd, b"\x04")  # Ctrl-D on an empty line

    def finish(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self._read(deadline):
            pass
        code = self.process.wait(timeout=TIMEOUT)
        os.close(self.fd)
        return code


def test_at_a_terminal_it_asks_for_section_tags_and_description(site: Path):
    config = load_config(site)
    before = set(tree_digest(site))
    terminal = Terminal("Circuit breaker", "--root", str(site))
    shown = terminal.answer(SECTION_PROMPT, "nowhere")
    for folder, title in section_titles(config).items():
        assert folder in shown and title in shown
    terminal.answer(SECTION_PROMPT, "foundations")
    shown = terminal.answer(TAGS_PROMPT, "architecture cooking")
    assert all(tag in shown for tag in allowed_tags(config))
    shown = terminal.answer(TAGS_PROMPT, "1, data")
    assert "'cooking' is not an allowed tag" in shown
    terminal.answer(DESCRIPTION_PROMPT, "How a breaker stops calls to a failing service.")
    assert terminal.finish() == 0, terminal.output
    assert "'nowhere' is not one of the sections" in terminal.output
    assert set(tree_digest(site)) - before == {
        "docs/foundations/circuit-breaker.md",
        "diagrams/circuit-breaker-overview.mmd",
    }
    text = (site / "docs/foundations/circuit-breaker.md").read_text(encoding="utf-8")
    assert f"tags:\n  - {allowed_tags(config)[0]}\n  - data\n" in text
    assert "description: How a breaker stops calls to a failing service.\n" in text
    assert "foundations/circuit-breaker.md" in (site / "mkdocs.yml").read_text(encoding="utf-8")


def test_at_a_terminal_it_asks_for_the_title_too(site: Path):
    terminal = Terminal("--section", "data", "--tags", "data", "--root", str(site))
    terminal.answer("Title of the note: ", "")
    terminal.answer("Title of the note: ", "Read repair")
    terminal.answer(DESCRIPTION_PROMPT, "")
    assert terminal.finish() == 0, terminal.output
    assert "The title cannot be empty." in terminal.output
    assert "# Read repair\n" in (site / "docs/data/read-repair.md").read_text(encoding="utf-8")


def test_stopping_at_a_question_changes_nothing(site: Path):
    before = tree_digest(site)
    terminal = Terminal("Circuit breaker", "--root", str(site))
    terminal.answer(SECTION_PROMPT, "1")
    terminal.end_of_input(TAGS_PROMPT)
    assert terminal.finish() == 1
    assert "Nothing was changed." in terminal.output
    assert tree_digest(site) == before


def test_a_refusal_after_the_questions_changes_nothing(site: Path):
    before = tree_digest(site)
    terminal = Terminal("Coupling", "--root", str(site))
    terminal.answer(SECTION_PROMPT, "foundations")
    terminal.answer(TAGS_PROMPT, "data")
    terminal.answer(DESCRIPTION_PROMPT, "")
    assert terminal.finish() == 1
    assert "refused: the slug 'coupling' is taken" in terminal.output
    assert tree_digest(site) == before


def test_without_a_terminal_it_stops_and_lists_the_sections_and_tags(site: Path):
    before = tree_digest(site)
    result = subprocess.run(
        [sys.executable, NEW_NOTE, "Circuit breaker", "--root", str(site)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert result.returncode == 2
    assert "the following arguments are required: --section, --tags" in result.stderr
    config = load_config(site)
    for folder, title in section_titles(config).items():
        assert f"{folder} ({title})" in result.stderr
    assert ", ".join(allowed_tags(config)) in result.stderr
    assert tree_digest(site) == before


def test_help_lists_the_sections_and_tags():
    result = subprocess.run(
        [sys.executable, NEW_NOTE, "--help"], capture_output=True, text=True, check=True, timeout=TIMEOUT
    )
    config = load_config(REPO_ROOT)
    for folder in section_titles(config):
        assert folder in result.stdout
    for tag in allowed_tags(config):
        assert tag in result.stdout
