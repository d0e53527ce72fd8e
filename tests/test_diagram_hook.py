"""The MkDocs hook that puts drawn diagrams in pages (scripts/hooks/prerender_diagrams.py), on a
small site of its own: a broken diagram fails the build with its file and line, and without
Chromium the build fails while `mkdocs serve` still previews, with a notice and no CDN."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from browser import DIAGRAM_SOURCE_BLOCK, diagrams_in
from site_build import REPO_ROOT, ctrl_c_as_at_a_terminal, offline_env


def site_config(name: str, hooks: list[str], watch: tuple[str, ...] = ()) -> str:
    """A small site's mkdocs.yml: Material, the diagram stylesheet, the Mermaid fence and these hooks."""
    watched = "".join(f"  - {path}\n" for path in watch)
    return (
        f"site_name: {name}\ntheme:\n  name: material\n  font: false\n"
        "extra_css:\n  - assets/stylesheets/diagrams.css\n"
        + (f"watch:\n{watched}" if watch else "")
        + "hooks:\n"
        + "".join(f"  - {hook}\n" for hook in hooks)
        + """markdown_extensions:
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""
    )


CONFIG = site_config("Hook test", [str(REPO_ROOT / "scripts/hooks/prerender_diagrams.py")])
PAGE = """\
# Note

Some text.

```mermaid
--8<-- "diagrams/{name}.mmd"
```
"""
GOOD = "flowchart LR\n  accTitle: Good\n  accDescr: A to B.\n  A --> B\n"
BROKEN = "flowchart LR\n  A --> B\n  B -->> C ]\n"


def make_site(root: Path, diagram: str) -> Path:
    (root / "docs/assets/stylesheets").mkdir(parents=True)
    (root / "diagrams").mkdir()
    shutil.copy(REPO_ROOT / "docs/assets/stylesheets/diagrams.css", root / "docs/assets/stylesheets")
    (root / "mkdocs.yml").write_text(CONFIG)
    (root / "diagrams/good.mmd").write_text(GOOD)
    (root / "diagrams/broken.mmd").write_text(BROKEN)
    (root / "docs/index.md").write_text(PAGE.format(name=diagram))
    return root


def build(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        env={**offline_env(), **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.browser
def test_a_good_diagram_is_drawn_into_the_page(tmp_path: Path):
    site = make_site(tmp_path, "good")
    result = build(site)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (site / "site/index.html").read_text(encoding="utf-8")
    assert diagrams_in(html) == 1 and DIAGRAM_SOURCE_BLOCK not in html
    assert "<title" in html and "Good</title>" in html


@pytest.mark.browser
def test_a_broken_diagram_fails_the_build_with_its_file_and_line(tmp_path: Path):
    site = make_site(tmp_path, "broken")
    result = build(site)
    assert result.returncode != 0
    assert f"{site / 'diagrams/broken.mmd'}:3: Parse error on line 3" in result.stderr


def test_without_chromium_the_build_fails_and_says_how_to_get_it(tmp_path: Path):
    site = make_site(tmp_path, "good")
    result = build(site, DIAGRAMS_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode != 0
    assert (
        "diagrams are drawn at build time, but Chromium is not installed (sudo apt-get install chromium)"
        in (result.stderr)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(root: Path, port: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**offline_env(), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def fetch_when_up(url: str, server: subprocess.Popen[str], timeout_s: float = 60) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.5)
    server.terminate()
    output = server.communicate(timeout=30)[0]
    pytest.fail(f"mkdocs serve did not come up:\n{output[-3000:]}")


def test_without_chromium_serve_previews_with_the_local_mermaid(tmp_path: Path):
    site = make_site(tmp_path, "good")
    port = free_port()
    env = {"DIAGRAMS_CHROMIUM": str(tmp_path / "no-chromium"), "CI": "false"}
    server = serve(site, port, **env)
    try:
        html = fetch_when_up(f"http://127.0.0.1:{port}/", server)
        library = fetch_when_up(f"http://127.0.0.1:{port}/assets/vendor/mermaid/mermaid.min.js", server)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert DIAGRAM_SOURCE_BLOCK in html, "the preview leaves the diagram to the browser"
    assert '<script src="assets/vendor/mermaid/mermaid.min.js"></script>' in html
    assert len(library) > 1_000_000
    notices = [line for line in output.splitlines() if "Chromium is not installed" in line]
    assert len(notices) == 1, output
    assert "unpkg.com" not in html and "jsdelivr" not in html


def test_in_ci_serve_without_chromium_fails(tmp_path: Path):
    site = make_site(tmp_path, "good")
    server = serve(site, free_port(), DIAGRAMS_CHROMIUM=str(tmp_path / "no-chromium"), CI="true")
    try:
        output = server.communicate(timeout=120)[0]
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode != 0
    assert "Chromium is not installed" in output


# `mkdocs serve` keeps one browser ----------------------------------------------------------------

LIVE_CONFIG = site_config(
    "Serve test",
    ["scripts/hooks/prerender_diagrams.py", "scripts/hooks/live_preview.py"],
    watch=("diagrams", "scripts"),
)


class Output:
    """A child process's output, read as it comes (a full pipe would stall the server)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def join(self) -> None:
        self._thread.join(timeout=30)


def chromium_processes(marker: str) -> dict[int, list[str]]:
    """Running processes whose command line names `marker` (the test's own TMPDIR), with their arguments."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "chromium" in command and marker in command:
            found[int(entry.name)] = command.split("\0")
    return found


def profiles(marker: str) -> set[str]:
    """The Chromium profiles (one per browser) that processes naming `marker` run with."""
    return {
        argument
        for arguments in chromium_processes(marker).values()
        for argument in arguments
        if argument.startswith("--user-data-dir=")
    }


def wait_for_text(url: str, text: str, server: subprocess.Popen[str], output: Output, timeout_s=60) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{text!r} never served:\n{output.text()[-3000:]}")


@pytest.mark.browser
def test_serve_keeps_one_browser_across_rebuilds_and_closes_it_on_ctrl_c(tmp_path: Path):
    """Diagram edits are drawn in the browser the first build started; an edit to the hooks' code
    replaces it (the old one closed, none left over); Ctrl-C closes the last one, and leaves no
    process, no temporary file and no error behind."""
    from browser import _unavailable
    from diagrams.browser import unavailable_reason

    if (missing := unavailable_reason()) is not None:
        _unavailable(missing)
    root = make_site(tmp_path / "site", "good")
    (root / "mkdocs.yml").write_text(LIVE_CONFIG)
    shutil.copytree(REPO_ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "package.json", root)
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules", target_is_directory=True)
    # Short: Chromium puts a socket in it, and a socket's path has at most 107 bytes.
    temporary = Path(tempfile.mkdtemp(prefix="serve-", dir="/tmp"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**offline_env(), "CI": "false", "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A process group of its own, for Ctrl-C as a terminal sends it: to the whole group,
        # Chromium and Playwright's driver included.
        start_new_session=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    output = Output(server)
    diagram = root / "diagrams/good.mmd"
    try:
        wait_for_text(url, "Good</title>", server, output)
        first_browser = profiles(str(temporary))
        assert len(first_browser) == 1, "the first build's browser is not running"
        time.sleep(1)  # let the watcher settle before the first edit
        for edit in ("Edited1", "Edited2"):
            diagram.write_text(GOOD.replace("A --> B", f"A --> {edit}"))
            wait_for_text(url, f"{edit}</p>", server, output)
            assert profiles(str(temporary)) == first_browser
        # The hooks' code changes: live_preview.py reloads it, after shutting the old hooks down.
        hook = root / "scripts/hooks/prerender_diagrams.py"
        hook.write_text(hook.read_text() + "\n# edited while serving\n")
        time.sleep(1.5)
        diagram.write_text(GOOD.replace("A --> B", "A --> Edited3"))
        wait_for_text(url, "Edited3</p>", server, output)
        second_browser = profiles(str(temporary))
        assert len(second_browser) == 1 and second_browser != first_browser
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
            output.join()
    log = output.text()
    assert server.returncode == 0, log[-3000:]
    assert chromium_processes(str(temporary)) == {}
    # Playwright's profiles and the renderer's fontconfig folders are removed when a browser closes.
    assert [path.name for path in temporary.iterdir()] == [], log[-3000:]
    temporary.rmdir()
    assert "Traceback" not in log and "never retrieved" not in log, log[-3000:]
    assert log.count("Chromium started in") == 2, log[-3000:]
    assert log.count("in the Chromium kept from the last build") == 2, log[-3000:]
