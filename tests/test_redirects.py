"""Links never rot: a published page that is renamed or removed without a
redirect fails the published-pages gate; with one, its old URL sends readers on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from content.html_scan import html_elements
from gates.published_pages import published_pages
from mini_site import make_mini_site
from record_published_pages import main as record_main
from redirects.pages import redirect_html, redirect_pages
from redirects.published import PUBLISHED_FILE, REDIRECTS_FILE, load_published
from redirects.urls import page_url, relative_url
from site_build import REPO_ROOT, build_site

HOOK = REPO_ROOT / "scripts/hooks/redirect_old_urls.py"
OLD, NEW = "foundations/coupling.md", "foundations/cohesion.md"
MATERIAL = "theme:\n  name: material\n  font: false\n"


def recorded_site(root: Path) -> Path:
    make_mini_site(root)
    assert record_main(["--root", str(root)]) == 0
    return root


def rename(root: Path, old: str, new: str) -> None:
    """Move a page and its nav entry, as a contributor renaming a note would."""
    (root / "docs" / old).rename(root / "docs" / new)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"- {old}", f"- {new}"), encoding="utf-8")


def messages(root: Path) -> list[str]:
    return [str(finding) for finding in published_pages(root)]


@pytest.mark.gate
def test_the_recorded_mini_site_passes(tmp_path: Path):
    root = recorded_site(tmp_path)
    assert OLD in (load_published(root) or [])
    assert messages(root) == []


@pytest.mark.gate
def test_a_rename_without_a_redirect_fails_naming_the_page_and_the_fix(tmp_path: Path):
    root = recorded_site(tmp_path)
    rename(root, OLD, NEW)
    found = messages(root)
    line = (root / PUBLISHED_FILE).read_text(encoding="utf-8").splitlines().index(OLD) + 1
    assert found[0] == (
        f"{root / PUBLISHED_FILE}:{line}: {OLD} was published and is gone: restore it, or redirect its old "
        f"URL to the page that replaces it with `{OLD}: <new path>.md` in {REDIRECTS_FILE}"
    )
    # The new page is not recorded yet either: the list must not fall behind.
    assert any(f"{NEW} is a page but not in {PUBLISHED_FILE}" in message for message in found)


@pytest.mark.gate
def test_a_rename_with_a_redirect_passes_once_the_new_page_is_recorded(tmp_path: Path):
    root = recorded_site(tmp_path)
    rename(root, OLD, NEW)
    (root / REDIRECTS_FILE).write_text(f"# moved\n{OLD}: {NEW}\n", encoding="utf-8")
    assert [m for m in messages(root) if "not in" not in m] == []
    assert record_main(["--root", str(root)]) == 0
    assert messages(root) == []
    # The old page stays listed: its URL is still published, as a redirect.
    assert {OLD, NEW} <= set(load_published(root) or [])


@pytest.mark.gate
def test_a_removed_page_fails_even_if_it_leaves_the_nav_too(tmp_path: Path):
    root = recorded_site(tmp_path)
    (root / "docs/data/acid.md").unlink()
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      - data/acid.md\n", ""), encoding="utf-8"
    )
    assert any("data/acid.md was published and is gone" in m for m in messages(root))


@pytest.mark.gate
@pytest.mark.parametrize(
    ("redirects", "problem"),
    [
        (
            f"{OLD}: foundations/nowhere.md\n",
            f"{OLD} redirects to foundations/nowhere.md, which is not a page",
        ),
        (
            "data/acid.md: foundations/coupling.md\n",
            "data/acid.md is still a page: its redirect would hide it",
        ),
        (
            f"{OLD}: a.md\na.md: {OLD}\n",
            "redirects.yml loops",
        ),
        ("- just a list\n", "must be a mapping"),
        (f"{OLD}: https://example.org/x\n", "is not a path to a Markdown page"),
        (f"{OLD}: ../outside.md\n", "leaves docs/"),
    ],
)
def test_a_bad_redirect_fails(tmp_path: Path, redirects: str, problem: str):
    root = recorded_site(tmp_path)
    if "still a page" not in problem:
        rename(root, OLD, NEW)
        record_main(["--root", str(root)])
    (root / REDIRECTS_FILE).write_text(redirects, encoding="utf-8")
    found = messages(root)
    assert any(problem in message for message in found), found
    assert all(str(root / REDIRECTS_FILE) in m for m in found if problem in m)


@pytest.mark.gate
def test_without_a_list_the_gate_asks_for_one(tmp_path: Path):
    root = make_mini_site(tmp_path)
    (root / PUBLISHED_FILE).unlink()
    assert messages(root) == [
        f"{root / PUBLISHED_FILE}:1: no list of published pages: {'run `make published-pages` to record it'}"
    ]


@pytest.mark.gate
def test_recording_only_forgets_a_page_when_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    root = recorded_site(tmp_path)
    rename(root, OLD, NEW)
    record_main(["--root", str(root)])
    assert OLD in (load_published(root) or [])
    assert record_main(["--root", str(root), "--forget", OLD]) == 0
    assert OLD not in (load_published(root) or [])
    assert messages(root) == []
    with pytest.raises(SystemExit, match=r"not in published-pages\.txt: nope\.md"):
        record_main(["--root", str(root), "--forget", "nope.md"])


@pytest.mark.gate
def test_urls_follow_mkdocs():
    assert page_url("index.md") == ""
    assert page_url("foundations/coupling.md") == "foundations/coupling/"
    assert page_url("foundations/index.md") == "foundations/"
    assert page_url("foundations/coupling.md", use_directory_urls=False) == "foundations/coupling.html"
    assert relative_url("foundations/coupling/index.html", "data/acid/") == "../../data/acid/"
    assert relative_url("foundations/coupling/index.html", "") == "../../"
    assert relative_url("foundations/coupling.html", "data/acid.html") == "../data/acid.html"


@pytest.mark.gate
def test_a_redirect_page_has_no_script_and_refreshes_to_the_new_url():
    pages = redirect_pages({OLD: "data/acid.md"}, site_url="https://example.org/notes/")
    html = pages["foundations/coupling/index.html"]
    elements = html_elements(html)
    assert not [e for e in elements if e.tag == "script"]
    refresh = [e for e in elements if e.tag == "meta" and e.attr("http-equiv") == "refresh"]
    assert [e.attr("content") for e in refresh] == ["0; url=../../data/acid/"]
    canonical = [e.attr("href") for e in elements if e.tag == "link" and e.attr("rel") == "canonical"]
    assert canonical == ["https://example.org/notes/data/acid/"]
    assert redirect_pages({OLD: "data/acid.md"}, use_directory_urls=False) == {
        "foundations/coupling.html": redirect_html("../data/acid.html", None)
    }
    # A chain (renamed twice) goes straight to the end.
    chained = redirect_pages({OLD: NEW, NEW: "data/acid.md"})
    assert "url=../../data/acid/" in chained["foundations/coupling/index.html"]


def build_small_site(root: Path, pages: list[str], redirects: str) -> subprocess.CompletedProcess[str]:
    """A site of a few plain pages with only the redirect hook, built strict."""
    for page in pages:
        (root / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / page).write_text(f"# {page}\n\nText.\n", encoding="utf-8")
    (root / REDIRECTS_FILE).write_text(redirects, encoding="utf-8")
    nav = "".join(f"  - {page}\n" for page in pages)
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: Small\n{MATERIAL}hooks:\n  - {HOOK}\nnav:\n{nav}", encoding="utf-8")
    return build_site(root / "site", config)


def test_the_old_url_of_a_renamed_page_sends_the_reader_to_the_new_one(tmp_path: Path):
    result = build_small_site(tmp_path, ["index.md", NEW], f"{OLD}: {NEW}\n")
    assert result.returncode == 0, result.stderr[-3000:]
    old_page = tmp_path / "site/foundations/coupling/index.html"
    assert "url=../cohesion/" in old_page.read_text(encoding="utf-8")
    assert (tmp_path / "site/foundations/cohesion/index.html").is_file()


def test_a_redirect_to_a_missing_page_fails_the_build(tmp_path: Path):
    result = build_small_site(tmp_path, ["index.md"], "old.md: data/gone.md\n")
    assert result.returncode != 0
    assert "redirects.yml: old.md redirects to data/gone.md, which is not a page" in result.stderr


@pytest.mark.gate
def test_the_published_site_check_passes_a_redirect_page_and_no_other_refresh():
    from gates.published_html import ShellRules, page_problems

    rules = ShellRules(frozenset(), "/")
    page = redirect_pages({OLD: NEW})["foundations/coupling/index.html"]
    assert page_problems(page, "foundations/coupling/index.html", rules) == []
    for refused in ("0; url=https://example.org/", "0; url=javascript:alert(1)", "5; url=../x/", "0"):
        bad = page.replace("0; url=../cohesion/", refused)
        assert [p.message for p in page_problems(bad, "x/index.html", rules)], refused
