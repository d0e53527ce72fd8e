"""The site builds strictly, with no network, and ships its own Mermaid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_build import REPO_ROOT, offline_env


def test_site_builds_strict_with_the_network_unavailable(
    site_build: tuple[Path, subprocess.CompletedProcess[str]],
):
    destination, result = site_build
    assert result.returncode == 0, result.stderr[-4000:]
    assert (destination / "index.html").is_file()


def test_the_network_guard_refuses_the_internet_but_not_loopback():
    # If the guard let traffic through, the offline build test would prove nothing.
    probe = (
        "import socket, urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('https://unpkg.com/', timeout=5)\n"
        "except OSError as error:\n"
        "    print('refused:', error)\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "socket.create_connection(server.getsockname(), timeout=5).close()\n"
        "print('loopback ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=offline_env(), capture_output=True, text=True, check=True
    )
    assert "refused: <urlopen error network disabled for this test" in result.stdout
    assert "loopback ok" in result.stdout


def test_mermaid_is_served_from_the_site_not_a_cdn(built_site: Path):
    library = built_site / "assets/vendor/mermaid/mermaid.min.js"
    assert library.stat().st_size > 1_000_000
    installed = (REPO_ROOT / "node_modules/mermaid/dist/mermaid.min.js").read_bytes()
    assert library.read_bytes() == installed
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for cdn in ("unpkg.com", "cdn.jsdelivr.net", "fonts.googleapis.com", "fonts.gstatic.com"):
            assert cdn not in html, f"{page.relative_to(built_site)} references {cdn}"
