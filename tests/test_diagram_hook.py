"""The MkDocs hook that puts drawn diagrams in pages (scripts/hooks/prerender_diagrams.py), on a
small site of its own: a broken diagram fails the build with its file and line, and without
Chromium the build fails while `mkdocs serve` still previews, with a notice and no CDN."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import DIAGRAM_SOURCE_BLOCK, diagrams_in
from site_build import REPO_ROOT, offline_env

CONFIG = f"""\
site_name: Hook test
theme:
  name: material
  font: false
extra_css:
  - assets/stylesheets/diagrams.css
hooks:
  - {REPO_ROOT / "scripts/hooks/prerender_diagrams.py"}
markdown_extensions:
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""
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
