"""Every note that other notes link to shows "Referenced by" with those notes, computed at build time.

The logic is plain (scripts/referenced_by/, tested here without MkDocs); the MkDocs
hook (scripts/hooks/backlinks.py) is tested by building a mini site with it.
"""

from __future__ import annotations

import posixpath
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from content.site_pages import is_note_path
from mkdocs.utils.meta import get_data
from referenced_by.referrers import (
    collect_referrers,
    note_title,
    referenced_by_markdown,
    with_referenced_by,
)
from site_build import REPO_ROOT, build_site

HOOK = REPO_ROOT / "scripts/hooks/backlinks.py"


def note(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndescription: D.\n---\n\n# {title}\n\n{textwrap.dedent(body)}"


SOURCES = {
    "index.md": note("Home", "Start at [sagas](workflows/sagas.md)."),
    "workflows/sagas.md": note(
        "Sagas",
        """\
        See [coupling](../foundations/coupling.md#why), [again](../foundations/coupling.md),
        [myself](sagas.md), the [home](../index.md) and [a site](https://example.org/x.md).

        `[code](../foundations/outbox.md)`

        !!! note
            Inside an admonition, [the outbox](../foundations/outbox.md).
        """,
    ),
    # A section's index page lists its notes; it is no note's referrer.
    "workflows/index.md": note("Workflows", "- [Sagas](sagas.md): the saga pattern."),
    "foundations/coupling.md": note("Coupling", "Nothing links out."),
    "foundations/outbox.md": note("Outbox [and] CDC", "Back to [sagas](../workflows/sagas.md)."),
}


def test_referrers_are_notes_linking_with_relative_md_links():
    referrers = collect_referrers(SOURCES, get_data)
    assert referrers == {
        "foundations/coupling.md": {"workflows/sagas.md": "Sagas"},
        "foundations/outbox.md": {"workflows/sagas.md": "Sagas"},
        "workflows/sagas.md": {"foundations/outbox.md": "Outbox [and] CDC"},
    }


def test_the_list_links_relative_to_the_page_sorted_by_title():
    markdown = referenced_by_markdown(
        "foundations/coupling.md",
        {"workflows/sagas.md": "Sagas", "foundations/outbox.md": "Outbox [and] CDC"},
    )
    assert markdown == (
        "## Referenced by\n\n- [Outbox \\[and\\] CDC](outbox.md)\n- [Sagas](../workflows/sagas.md)\n"
    )


def test_a_title_comes_from_front_matter_else_the_first_heading_else_the_file_name():
    assert note_title(note("Front", "# Heading"), "a/x.md", get_data) == "Front"
    assert note_title("Intro.\n\n# Heading *one*\n", "a/x.md", get_data) == "Heading *one*"
    assert note_title("No heading.\n", "a/some-note.md", get_data) == "some-note"


def test_the_list_is_appended_only_when_some_note_links_here():
    assert with_referenced_by("# Page\n", "a/x.md", None) == "# Page\n"
    assert with_referenced_by("# Page\n", "a/x.md", {}) == "# Page\n"
    assert with_referenced_by("# Page\n\n", "a/x.md", {"b/y.md": "Y"}) == (
        "# Page\n\n## Referenced by\n\n- [Y](../b/y.md)\n"
    )


class _ReferencedBy(HTMLParser):
    """The hrefs of the links in the list after the "Referenced by" heading."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self._state = "before"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2" and attributes.get("id") == "referenced-by":
            self._state = "heading"
        elif self._state == "heading" and tag == "ul":
            self._state = "list"
        elif self._state == "list" and tag == "a":
            self.hrefs.append(str(attributes.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if self._state == "list" and tag == "ul":
            self._state = "after"


def referenced_by(html_file: Path) -> list[str]:
    parser = _ReferencedBy()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.hrefs


def test_a_built_mini_site_shows_referenced_by(tmp_path: Path):
    docs = tmp_path / "docs"
    for src_uri, markdown in SOURCES.items():
        (docs / src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / src_uri).write_text(markdown, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Mini\ntheme:\n  name: material\n  font: false\n"
        f"hooks:\n  - {HOOK}\nmarkdown_extensions:\n  - admonition\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr[-3000:]
    site = tmp_path / "site"
    assert referenced_by(site / "foundations/coupling/index.html") == ["../../workflows/sagas/"]
    assert referenced_by(site / "foundations/outbox/index.html") == ["../../workflows/sagas/"]
    assert referenced_by(site / "workflows/sagas/index.html") == ["../../foundations/outbox/"]
    assert referenced_by(site / "index.html") == []
    # Nothing is written into docs/.
    assert {p.relative_to(docs).as_posix() for p in docs.rglob("*")} >= set(SOURCES)
    assert all("Referenced by" not in (docs / s).read_text() for s in SOURCES)


def test_every_note_of_the_site_lists_its_referrers(built_site: Path):
    docs = REPO_ROOT / "docs"
    sources = {
        path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
        for path in docs.rglob("*.md")
        if path.relative_to(docs).parts[0] not in ("includes", "assets")
    }
    referrers = collect_referrers(sources, get_data)
    assert referrers, "no note links to another: the test would prove nothing"
    for src_uri in sources:
        if not is_note_path(src_uri):
            continue
        page_url = src_uri.removesuffix(".md")
        page = built_site / page_url / "index.html"
        links = referrers.get(src_uri, {})
        expected = sorted(posixpath.relpath(source.removesuffix(".md"), page_url) + "/" for source in links)
        assert sorted(referenced_by(page)) == expected, src_uri
