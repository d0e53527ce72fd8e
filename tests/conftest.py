"""Shared fixtures: the site built once with no network, and a server for it."""

from __future__ import annotations

import functools
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from site_build import build_site


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
