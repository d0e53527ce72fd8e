"""What's new: the page and the Atom feed list new notes and substantial changes
by month, from a git history built here with known dates; without history the
page says so; the built site links the feed from every page's head."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from content.html_scan import html_elements
from whats_new.changes import Kind, by_month, note_events, note_title
from whats_new.feed import ATOM, atom_feed
from whats_new.history import HistoryState, read_history
from whats_new.page import page_markdown

A = f"{{{ATOM}}}"
TITLES = {"foundations/coupling.md": "Coupling", "workflows/sagas.md": "Sagas", "data/acid.md": "ACID"}


def lines(n: int, word: str = "line") -> str:
    return "".join(f"{word} {i}\n" for i in range(n))


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "2026-01-01T12:00:00+00:00") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Author",
            "GIT_AUTHOR_EMAIL": "author@example.org",
            "GIT_COMMITTER_NAME": "Author",
            "GIT_COMMITTER_EMAIL": "author@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        return subprocess.run(
            ["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True
        ).stdout

    def commit(self, date: str, message: str, files: dict[str, str]) -> None:
        for path, text in files.items():
            (self.docs / path).parent.mkdir(parents=True, exist_ok=True)
            (self.docs / path).write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Coupling arrives in November; Sagas in December, with Coupling rewritten;
    a typo fix and a large commit marked minor are not news."""
    repo = Repo(tmp_path / "repo")
    repo.commit("2026-11-03T10:00:00+00:00", "Coupling", {"foundations/coupling.md": lines(100)})
    repo.commit(
        "2026-11-20T10:00:00+00:00",
        "Coupling: a typo",
        {"foundations/coupling.md": lines(99) + "line 99 fixed\n"},
    )
    repo.commit("2026-12-02T10:00:00+00:00", "Sagas", {"workflows/sagas.md": lines(50)})
    repo.commit(
        "2026-12-09T10:00:00+00:00",
        "Coupling: kinds of coupling rewritten",
        {"foundations/coupling.md": lines(60) + lines(40, "new")},
    )
    repo.commit(
        "2026-12-15T10:00:00+00:00",
        "Sagas: reflow every paragraph\n\nChange: minor",
        {"workflows/sagas.md": lines(50, "reflowed")},
    )
    repo.commit(
        "2026-12-16T10:00:00+00:00", "Sagas: a second pass", {"workflows/sagas.md": lines(70, "second")}
    )
    repo.commit("2026-12-20T10:00:00+00:00", "Not a note", {"includes/abbreviations.md": lines(5)})
    return repo


def test_history_is_read_oldest_first_with_line_counts_and_the_minor_trailer(repo: Repo):
    history = read_history(repo.docs)
    assert history.state is HistoryState.COMPLETE
    assert [c.subject for c in history.commits][:2] == ["Coupling", "Coupling: a typo"]
    minor = [c.subject for c in history.commits if c.minor]
    assert minor == ["Sagas: reflow every paragraph"]
    typo = history.commits[1]
    assert [(f.path, f.added, f.deleted) for f in typo.changes] == [("foundations/coupling.md", 1, 1)]


def test_new_notes_and_substantial_changes_are_news_and_the_rest_is_not(repo: Repo):
    events = note_events(read_history(repo.docs).commits, TITLES)
    assert [(e.kind, e.path, e.subject) for e in events] == [
        (Kind.NEW, "foundations/coupling.md", "Coupling"),
        (Kind.NEW, "workflows/sagas.md", "Sagas"),
        (Kind.CHANGED, "foundations/coupling.md", "Coupling: kinds of coupling rewritten"),
        (Kind.CHANGED, "workflows/sagas.md", "Sagas: a second pass"),
    ]
    # In December, Sagas is listed once, as new: its later change is part of its arrival.
    months = by_month(events)
    assert [(month, [(e.kind, e.title) for e in month_events]) for month, month_events in months] == [
        ((2026, 12), [(Kind.CHANGED, "Coupling"), (Kind.NEW, "Sagas")]),
        ((2026, 11), [(Kind.NEW, "Coupling")]),
    ]


def test_a_note_without_a_title_is_named_from_its_file():
    assert note_title("Sagas", "workflows/sagas.md") == "Sagas"
    assert note_title(None, "workflows/durable-execution.md") == "Durable execution"
    assert note_title(["not", "a", "title"], "a/b.md") == "B"


def test_the_page_lists_months_newest_first_with_links(repo: Repo):
    history = read_history(repo.docs)
    markdown = page_markdown(
        note_events(history.commits, TITLES), history.state, link=lambda p: p, feed_href="../feed.xml"
    )
    december, november = markdown.index("## December 2026"), markdown.index("## November 2026")
    assert december < november
    assert (
        "- **Changed:** [Coupling](foundations/coupling.md) (9 December): "
        "Coupling: kinds of coupling rewritten" in markdown
    )
    assert "- **New:** [Coupling](foundations/coupling.md) (3 November): Coupling" in markdown
    assert '<a href="../feed.xml">Atom feed</a>' in markdown
    assert "No history" not in markdown


def test_without_git_history_the_page_says_so_and_nothing_fails(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    history = read_history(docs)
    assert history.state is HistoryState.MISSING
    markdown = page_markdown([], history.state, link=lambda p: p, feed_href="feed.xml")
    assert "built without its git history" in markdown
    feed = ET.fromstring(atom_feed_for([], "https://example.org/notes/"))
    assert_valid_atom(feed)
    assert feed.findall(f"{A}entry") == []


def test_a_shallow_clone_is_said_to_be_partial(repo: Repo, tmp_path: Path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    history = read_history(clone / "docs")
    assert history.state is HistoryState.SHALLOW
    assert "shallow clone" in page_markdown([], history.state, link=lambda p: p, feed_href="feed.xml")


def atom_feed_for(events, site_url: str) -> bytes:
    return atom_feed(
        events,
        site_url=site_url,
        site_name="Notes",
        author="Notes contributors",
        note_url=lambda path: path.removesuffix(".md") + "/",
        page_url="whats-new/",
        feed_url="feed.xml",
        built=datetime.fromisoformat("2026-12-31T00:00:00+00:00"),
    )


def assert_valid_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires (sections 4.1.1 and 4.1.2), each a valid date or IRI."""
    assert feed.tag == f"{A}feed"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{required}")) == 1, f"feed needs exactly one atom:{required}"
    datetime.fromisoformat(feed.findtext(f"{A}updated"))
    feed_has_author = feed.find(f"{A}author/{A}name") is not None
    self_links = [link for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    assert len(self_links) == 1
    ids = set()
    for entry in feed.findall(f"{A}entry"):
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{required}")) == 1, f"entry needs exactly one atom:{required}"
        datetime.fromisoformat(entry.findtext(f"{A}updated"))
        assert feed_has_author or entry.find(f"{A}author/{A}name") is not None
        alternates = [
            link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1 and alternates[0].get("href", "").startswith(("http://", "https://"))
        assert ":" in entry.findtext(f"{A}id")  # an IRI with a scheme
        ids.add(entry.findtext(f"{A}id"))
    assert len(ids) == len(feed.findall(f"{A}entry")), "entry ids must be unique"


def test_the_feed_is_valid_atom_newest_first(repo: Repo):
    events = note_events(read_history(repo.docs).commits, TITLES)
    feed = ET.fromstring(atom_feed_for(events, "https://example.org/notes/"))
    assert_valid_atom(feed)
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["Changed: Coupling", "New: Sagas", "New: Coupling"]
    assert entries[0].find(f"{A}link").get("href") == "https://example.org/notes/foundations/coupling/"
    assert feed.findtext(f"{A}updated") == "2026-12-09T10:00:00+00:00"
    assert feed.findtext(f"{A}id") == "https://example.org/notes/feed.xml"


def test_the_built_site_has_the_page_the_feed_and_links_it_from_every_page(built_site: Path):
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert_valid_atom(feed)
    assert feed.findall(f"{A}entry"), "this repository has history: the feed must list something"
    assert "What's new" in (built_site / "whats-new/index.html").read_text(encoding="utf-8")
    pages = [p for p in built_site.rglob("*.html") if p.relative_to(built_site).parts[0] != "assets"]
    unlinked = []
    for page in pages:
        links = [
            e.attr("href")
            for e in html_elements(page.read_text(encoding="utf-8"))
            if e.tag == "link" and e.attr("rel") == "alternate" and e.attr("type") == "application/atom+xml"
        ]
        if page.name == "404.html":
            # Served at any depth, so it links by absolute path under the site's base.
            if links != ["/architecture-notes/feed.xml"]:
                unlinked.append(f"404.html: {links}")
            continue
        depth = len(page.relative_to(built_site).parts) - 1
        if links != ["../" * depth + "feed.xml" if depth else "feed.xml"]:
            unlinked.append(f"{page.relative_to(built_site)}: {links}")
    assert unlinked == []
