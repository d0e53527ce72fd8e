"""Shared fixtures: the site built once with no network, and a server for it."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
OFFLINE_SITECUSTOMIZE = Path(__file__).resolve().parent / "support" / "offline"


def offline_env() -> dict[str, str]:
    """The environment of a child Python process that cannot reach the network."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE_SITECUSTOMIZE), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def build_site(
    destination: Path, config: Path = REPO_ROOT / "mkdocs.yml"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config),
            "--site-dir",
            str(destination),
        ],
        cwd=REPO_ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    destination = tmp_path_factory.mktemp("site")
    return destination, build_site(destination)


@pytest.fixture(scope="session")
def built_site(site_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    destination, result = site_build
    if result.returncode != 0:
        pytest.fail(f"the site does not build:\n{result.stderr[-4000:]}")
    return destination


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served over HTTP on 127.0.0.1 as a static host would."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
