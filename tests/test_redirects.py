"""Links never rot: a published page that is renamed or removed without a
redirect fails the published-pages gate; with one, its old URL sends readers on."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit.static_host import StaticHost
from browser import launch_chromium
from csp.policy import script_hash
from gates.published_pages import published_pages
from mini_site import make_mini_site
from record_published_pages import main as record_main
from redirects.pages import FRAGMENT_SCRIPT, check_targets, redirect_html, redirect_pages
from redirects.published import PUBLISHED_FILE, REDIRECTS_FILE, BadRedirects, load_published
from redirects.urls import page_url, relative_url
from selectolax.lexbor import LexborHTMLParser
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


def redirect_page_parts(page: str) -> dict[str, list[str]]:
    """What a redirect page is made of, read by an HTML5 parser (with scripting off, as
    the gate reads pages, so <noscript> holds elements)."""
    tree = LexborHTMLParser(page)
    return {
        "scripts": [node.text(deep=True) for node in tree.css("script")],
        "policy": [
            str(n.attributes.get("content")) for n in tree.css('meta[http-equiv="Content-Security-Policy"]')
        ],
        "refresh": [str(n.attributes.get("content")) for n in tree.css('meta[http-equiv="refresh"]')],
        "refresh_in_noscript": [str(n.attributes.get("content")) for n in tree.css("noscript > meta")],
        "link": [str(n.attributes.get("href")) for n in tree.css("a#new-url")],
        "canonical": [str(n.attributes.get("href")) for n in tree.css('link[rel="canonical"]')],
    }


@pytest.mark.gate
def test_a_redirect_page_runs_only_its_own_script_and_refreshes_without_script():
    pages = redirect_pages({OLD: "data/acid.md"}, site_url="https://example.org/notes/")
    parts = redirect_page_parts(pages["foundations/coupling/index.html"])
    # One script, the same in every redirect page, and the only one its policy allows.
    assert parts["scripts"] == [FRAGMENT_SCRIPT]
    assert parts["policy"] == [f"default-src 'none'; script-src {script_hash(FRAGMENT_SCRIPT)}"]
    # Without script, a meta refresh; inside <noscript>, so it cannot overtake the script.
    assert parts["refresh"] == parts["refresh_in_noscript"] == ["0; url=../../data/acid/"]
    assert parts["link"] == ["../../data/acid/"]
    assert parts["canonical"] == ["https://example.org/notes/data/acid/"]
    assert redirect_pages({OLD: "data/acid.md"}, use_directory_urls=False) == {
        "foundations/coupling.html": redirect_html("../data/acid.html", None)
    }
    # A chain (renamed twice) goes straight to the end.
    chained = redirect_pages({OLD: NEW, NEW: "data/acid.md"})
    assert redirect_page_parts(chained["foundations/coupling/index.html"])["link"] == ["../../data/acid/"]


@pytest.mark.gate
def test_redirect_targets_are_checked_against_the_pages_of_the_build():
    pages = {"index.md", NEW}
    check_targets({OLD: NEW}, pages.__contains__)
    still_a_page = f"{NEW} is still a page; its redirect would overwrite it"
    with pytest.raises(BadRedirects, match=re.escape(still_a_page)):
        check_targets({NEW: "index.md"}, pages.__contains__)
    with pytest.raises(BadRedirects, match=re.escape(f"{OLD} redirects to a.md, which is not a page")):
        check_targets({OLD: "a.md"}, pages.__contains__)
    with pytest.raises(BadRedirects, match=re.escape("redirects.yml loops")):
        check_targets({OLD: "a.md", "a.md": OLD}, pages.__contains__)


def build_small_site(
    root: Path, pages: list[str], redirects: str, *, hooks: tuple[Path, ...] = (HOOK,), extra: str = ""
) -> subprocess.CompletedProcess[str]:
    """A site of a few plain pages (each with a `## Section` heading) with the redirect hook
    (and the given `hooks`), built strict."""
    for page in pages:
        (root / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / page).write_text(f"# {page}\n\nText.\n\n## Section\n\nMore.\n", encoding="utf-8")
    (root / REDIRECTS_FILE).write_text(redirects, encoding="utf-8")
    nav = "".join(f"  - {page}\n" for page in pages)
    listed = "".join(f"  - {hook}\n" for hook in hooks)
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: Small\n{MATERIAL}{extra}hooks:\n{listed}nav:\n{nav}", encoding="utf-8")
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
def test_the_published_site_check_passes_a_redirect_page_and_no_other_refresh_or_script():
    from gates.published_html import ShellRules, page_problems

    rules = ShellRules(frozenset(), "/")
    page = redirect_pages({OLD: NEW})["foundations/coupling/index.html"]
    assert page_problems(page, "foundations/coupling/index.html", rules) == []
    for refused in ("0; url=https://example.org/", "0; url=javascript:alert(1)", "5; url=../x/", "0"):
        bad = page.replace("0; url=../cohesion/", refused)
        assert [p.message for p in page_problems(bad, "x/index.html", rules)], refused
    other_script = page.replace(FRAGMENT_SCRIPT, 'location.replace("https://example.org/");')
    assert [p.message for p in page_problems(other_script, "x/index.html", rules)] == [
        "inline <script> that is not one of Material's own"
    ]


# The site's own policy on every page and its check of what ships, as in mkdocs.yml.
SITE_HOOKS = (
    HOOK,
    REPO_ROOT / "scripts/hooks/content_security_policy.py",
    REPO_ROOT / "scripts/hooks/check_published.py",
)


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A built site where OLD was renamed to NEW, served over HTTP on 127.0.0.1."""
    root = tmp_path_factory.mktemp("renamed")
    result = build_small_site(root, ["index.md", NEW], f"{OLD}: {NEW}\n", hooks=SITE_HOOKS)
    assert result.returncode == 0, result.stderr[-3000:]
    with StaticHost(root / "site") as url:
        yield url


REDIRECT_WAIT_MS = 10_000


def wait_until_at(page, pattern: str, refused: list[str]) -> None:
    """Wait for the redirect to reach a URL matching `pattern`, or fail saying where the page stayed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url(pattern, timeout=REDIRECT_WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"no redirect to {pattern}: the page stayed at {page.url}; policy errors: {refused}")


def land(browser, url: str, *, javascript: bool = True) -> tuple[str, list[str]]:
    """Open `url`, wait for the page a redirect leads to, and return its URL and the
    Content-Security-Policy errors reported on the way."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    try:
        page.goto(url)
        wait_until_at(page, f"**/{NEW.removesuffix('.md')}/**", refused)
        page.wait_for_load_state()
        return page.url, refused
    finally:
        context.close()


@pytest.mark.browser
def test_an_old_url_with_a_fragment_lands_on_the_new_url_with_it(browser, renamed_site: str):
    landed, refused = land(browser, f"{renamed_site}foundations/coupling/#section")
    assert landed == f"{renamed_site}foundations/cohesion/#section"
    assert refused == []
    # Without a fragment, nothing is added.
    landed, _ = land(browser, f"{renamed_site}foundations/coupling/")
    assert landed == f"{renamed_site}foundations/cohesion/"


@pytest.mark.browser
def test_without_javascript_the_old_url_still_leads_to_the_new_page(browser, renamed_site: str):
    landed, _ = land(browser, f"{renamed_site}foundations/coupling/#section", javascript=False)
    # A meta refresh cannot carry the fragment; the reader still reaches the page.
    assert landed == f"{renamed_site}foundations/cohesion/"


@pytest.mark.browser
def test_the_offline_copy_keeps_the_fragment_from_a_file_url(browser, tmp_path: Path):
    result = build_small_site(
        tmp_path, ["index.md", NEW], f"{OLD}: {NEW}\n", hooks=SITE_HOOKS, extra="use_directory_urls: false\n"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    old = (tmp_path / "site/foundations/coupling.html").as_uri()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{old}#section")
        wait_until_at(page, "**/foundations/cohesion.html#section", [])
        assert page.url == f"{(tmp_path / 'site/foundations/cohesion.html').as_uri()}#section"
    finally:
        context.close()
