"""Each note page links its tags to the tags index and shows when it last changed, even built without git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from content.html_scan import HtmlElement
from content.site_pages import docs_path, notes
from gates.front_matter import read_front_matter
from gates.unsafe_markup import element_problems
from site_build import REPO_ROOT, build_site

DATE = re.compile(
    r'class="git-revision-date-localized-plugin git-revision-date-localized-plugin-date"[^>]*>([^<]+)<'
)
# Attributes in either order: Material writes href first; a plugin that re-serialises pages may not.
TAG_LINK = re.compile(r'<a (?=[^>]*\bclass="md-tag")[^>]*\bhref="([^"]+)"[^>]*>([^<]+)</a>')


def page_html(site: Path, note: Path) -> str:
    return (site / docs_path(REPO_ROOT, note).removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def shown_date(html: str) -> str:
    match = DATE.search(html)
    assert match, "no last-update date on the page"
    return match.group(1)


def test_every_note_links_each_of_its_tags_to_the_tags_index(built_site: Path):
    assert (built_site / "tags/index.html").is_file()
    for note in notes(REPO_ROOT):
        front = read_front_matter(note.read_text(encoding="utf-8"))
        assert front is not None
        links = TAG_LINK.findall(page_html(built_site, note))
        assert sorted(text for _, text in links) == sorted(front.data["tags"]), note
        for href, text in links:
            assert href == f"../../tags/#tag:{text}", (note, href)
    tags_index = (built_site / "tags/index.html").read_text(encoding="utf-8")
    assert 'id="tag:architecture"' in tags_index


def test_every_note_shows_its_last_commit_date(built_site: Path):
    for note in notes(REPO_ROOT):
        committed = subprocess.run(
            ["git", "log", "-1", "--format=%at", "--", str(note)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # A note not committed yet shows the build date.
        timestamp = int(committed) if committed else int(time.time())
        expected = datetime.fromtimestamp(timestamp, UTC).strftime("%B %-d, %Y")
        assert shown_date(page_html(built_site, note)) == expected, note


def test_the_site_builds_from_a_tarball_without_git_history(tmp_path: Path):
    """The work tree's files as a release tarball holds them (no .git): the build date stands in."""
    tree = tmp_path / "tree"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for relative in filter(None, listed):
        source = REPO_ROOT / relative
        if source.is_file():
            (tree / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / relative)
    os.symlink(REPO_ROOT / "node_modules", tree / "node_modules")
    assert not (tree / ".git").exists() and (tree / "mkdocs.yml").is_file()
    result = build_site(tmp_path / "site", tree / "mkdocs.yml")
    assert result.returncode == 0, result.stderr[-4000:]
    # --strict passed, so the missing history was no warning; the plugin says it fell back.
    assert "Falling back to build date" in result.stderr
    today = datetime.now(UTC).strftime("%B %-d, %Y")
    for note in notes(REPO_ROOT):
        assert shown_date(page_html(tmp_path / "site", note)) == today, note


class _ArticleElements(HTMLParser):
    """The elements inside the page's <article>: what the note's Markdown and diagrams became."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.elements: list[HtmlElement] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.depth:
            self.elements.append(HtmlElement(self.getpos()[0], tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def active_content(html: str) -> tuple[int, list[str]]:
    """(elements in the <article>, problems among them)."""
    parser = _ArticleElements()
    parser.feed(html)
    return len(parser.elements), [p for element in parser.elements for p in element_problems(element)]


def test_active_content_in_an_article_is_found_and_outside_it_is_not():
    html = (
        '<html><head><script src="bundle.js"></script></head><body><article><p>Text</p>'
        '<pre class="mermaid"><code>flowchart LR\n A["<img src=x onerror=alert(1)>"]</code></pre>'
        "<iframe src=x></iframe></article><script>ok()</script></body></html>"
    )
    count, problems = active_content(html)
    assert count == 5
    assert problems == ["event handler attribute onerror= on <img>", "raw <iframe> element"]


def test_no_rendered_page_carries_active_content(built_site: Path):
    """The gates read Markdown; this reads what Python-Markdown made of it, as a backstop."""
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        count, problems = active_content(page.read_text(encoding="utf-8"))
        assert not problems, (page.relative_to(built_site), problems)
        checked += bool(count)
    assert checked >= len(notes(REPO_ROOT))
