"""CONTRIBUTING's worked example, walked end to end on a copy of the site: the
scaffold command as the guide gives it, the gates (only the template's
placeholders are left to write), the strict build, and the page at the address
the guide says to open under `make serve`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from gates.content_gates import PAGE_GATES, SITE_GATES, run_gate
from gates.front_matter import check_site
from gates.markdown_lint import lint
from site_build import offline_env
from test_contributor_files import CONTRIBUTING, shell_commands
from test_live_preview import copy_site

PREVIEW_URL = re.compile(r"http://127\.0\.0\.1:8000/architecture-notes/(\S+/)")


def test_the_worked_example_runs_end_to_end(tmp_path: Path):
    site = tmp_path / "checkout"
    site.mkdir()
    copy_site(site)
    [command] = [c for c in shell_commands(CONTRIBUTING) if "scripts/new_note.py" in c]
    script = command.index("scripts/new_note.py")
    scaffold = subprocess.run(
        [sys.executable, *command[script:]],
        cwd=site,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert scaffold.returncode == 0, scaffold.stderr
    guide = CONTRIBUTING.read_text(encoding="utf-8")
    created = [
        path for path in ("docs/reliability/circuit-breaker.md", "diagrams/circuit-breaker-overview.mmd")
    ]
    for path in created:
        assert path in guide and (site / path).is_file(), path

    # `make check` fails only on the placeholders the contributor is asked to write over.
    assert [str(error) for error in check_site(site)] == []
    for gate in [*PAGE_GATES, *SITE_GATES]:
        findings = run_gate(gate, site)
        if gate == "template leftovers":
            assert findings and {f.path for f in findings} == {site / created[0]}
        else:
            assert [str(f) for f in findings] == [], gate
    assert lint([site / created[0]]) == []

    built = tmp_path / "built"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(built)],
        cwd=site,
        env=offline_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    [page] = PREVIEW_URL.findall(guide)
    html = (built / page / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Circuit breaker" in html
    # The stub diagram is on the page, as Mermaid source or drawn (its nodes are Client and Service).
    assert 'class="mermaid"' in html or "<svg" in html
    assert "Client" in html and "Service" in html
