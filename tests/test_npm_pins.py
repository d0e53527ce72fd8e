"""Files of npm packages that package.json pins (scripts/content/npm_pins.py): found in the
local install, and refused when missing or not the pinned version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from content.npm_pins import NotInstalled, pinned_file
from site_build import REPO_ROOT


def install(root: Path, pinned: str, installed: str | None) -> None:
    (root / "package.json").write_text(json.dumps({"devDependencies": {"shim": pinned}}), encoding="utf-8")
    if installed is not None:
        (root / "node_modules/shim/dist").mkdir(parents=True)
        (root / "node_modules/shim/package.json").write_text(json.dumps({"version": installed}))
        (root / "node_modules/shim/dist/shim.js").write_text("// shim\n")


def test_the_pinned_version_installed_is_found(tmp_path: Path):
    install(tmp_path, "1.2.3", "1.2.3")
    assert pinned_file(tmp_path, "shim", "dist/shim.js") == tmp_path / "node_modules/shim/dist/shim.js"


def test_a_missing_package_or_another_version_is_refused_naming_the_fix(tmp_path: Path):
    install(tmp_path, "1.2.3", None)
    with pytest.raises(NotInstalled, match=r"node_modules/shim/dist/shim\.js is missing: run `make setup`"):
        pinned_file(tmp_path, "shim", "dist/shim.js")
    install(tmp_path, "1.2.3", "1.2.4")
    with pytest.raises(NotInstalled, match=r"node_modules has shim 1\.2\.4 but package\.json pins 1\.2\.3"):
        pinned_file(tmp_path, "shim", "dist/shim.js")


def test_the_site_s_shim_is_installed_as_pinned():
    assert pinned_file(REPO_ROOT, "iframe-worker", "shim/index.js").is_file()
