"""Building the site offline, for tests: the repository root, a child-process
environment with no network, and a strict build into a given folder.

A plain module rather than part of conftest.py: test modules import it by name,
and more than one conftest.py exists under tests/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OFFLINE_SITECUSTOMIZE = Path(__file__).resolve().parent / "support" / "offline"


def offline_env() -> dict[str, str]:
    """The environment of a child Python process that cannot reach the network."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE_SITECUSTOMIZE), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def build_site(
    destination: Path, config: Path = REPO_ROOT / "mkdocs.yml", *, offline_copy: bool = False
) -> subprocess.CompletedProcess[str]:
    """A strict build with no network; `offline_copy` turns on Material's offline
    plugin, as `make offline` does (OFFLINE=true)."""
    env = offline_env()
    env.pop("OFFLINE", None)
    if offline_copy:
        env["OFFLINE"] = "true"
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
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def ctrl_c_as_at_a_terminal() -> None:
    """For Popen(preexec_fn=...), in a test that sends the child Ctrl-C (SIGINT).

    A shell without job control (`cmd &` in a script, nohup, some CI runners)
    starts its children with SIGINT ignored, and a Python started so never
    raises KeyboardInterrupt; a terminal's Ctrl-C reaches a process that has
    SIGINT at its default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
