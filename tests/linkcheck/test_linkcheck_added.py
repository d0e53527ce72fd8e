"""Pull requests check only the links they add: URLs new since a git revision."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from linkcheck.added import RevisionError, only_added, urls_at_revision
from linkcheck.collect import collect_links


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True, capture_output=True
    )


def test_only_links_new_since_the_revision_are_kept(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("[old](https://old.example/)\n\n`https://code.example/`\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "docs")
    _git(tmp_path, "commit", "-qm", "base")
    (docs / "a.md").write_text("[old](https://old.example/)\n\n[new](https://new.example/)\n")
    (docs / "b.md").write_text("https://also-new.example/ and [old again](https://old.example/)\n")
    before = urls_at_revision(tmp_path, "HEAD", [docs])
    assert before == {"https://old.example/"}
    added = only_added(collect_links([docs], tmp_path), before)
    assert sorted(added.urls) == ["https://also-new.example/", "https://new.example/"]


def test_an_unknown_revision_is_a_clear_error(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    with pytest.raises(RevisionError, match="'nope' is not a commit in this repository"):
        urls_at_revision(tmp_path, "nope", [tmp_path])
