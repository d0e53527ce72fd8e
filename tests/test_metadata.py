"""Metadata a reader or a search engine gets: each page's description from its
front matter, a canonical URL, the sitemap, and a 404 page that helps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from mkdocs.utils.meta import get_data
from site_build import REPO_ROOT

DOCS = REPO_ROOT / "docs"
SITE_URL = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[
    "site_url"
]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def page_sources() -> list[Path]:
    return [p for p in sorted(DOCS.rglob("*.md")) if p.relative_to(DOCS).parts[0] != "includes"]


def page_url(source: Path) -> str:
    """The page's path under the site (directory URLs), as MkDocs builds it."""
    stem = source.relative_to(DOCS).with_suffix("")
    if stem.name == "index":
        return "" if stem.parent == Path(".") else f"{stem.parent.as_posix()}/"
    return f"{stem.as_posix()}/"


class _HeadReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.descriptions: list[str] = []
        self.canonicals: list[str] = []
        self.links: list[str] = []
        self.search_inputs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "description":
            self.descriptions.append(values.get("content") or "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonicals.append(values.get("href") or "")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "input" and "md-search__input" in (values.get("class") or ""):
            self.search_inputs += 1


def read_html(path: Path) -> _HeadReader:
    reader = _HeadReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


PAGES = page_sources()


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_has_its_own_description_and_canonical_url(source: Path, built_site: Path):
    _, meta = get_data(source.read_text(encoding="utf-8"))
    description = str(meta.get("description") or "").strip()
    assert description, "add `description:` (one sentence on what the page covers) to the front matter"
    html = read_html(built_site / page_url(source) / "index.html")
    assert [d.strip() for d in html.descriptions] == [" ".join(description.split())]
    assert html.canonicals == [SITE_URL + page_url(source)]


# Pages that hooks generate at build time, with no source in docs/ (scripts/hooks/link_health.py).
GENERATED_PAGES = ["link-health/", "whats-new/", "print/"]


def test_sitemap_lists_every_page_once_by_its_canonical_url(built_site: Path):
    tree = ET.parse(built_site / "sitemap.xml")
    listed = [loc.text for loc in tree.getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)]
    expected = [page_url(source) for source in PAGES] + GENERATED_PAGES
    assert sorted(listed) == sorted(SITE_URL + url for url in expected)


def test_the_404_page_offers_search_and_a_way_home(built_site: Path):
    page = built_site / "404.html"
    html = read_html(page)
    assert html.search_inputs == 1
    site_path = urlsplit(SITE_URL).path
    body_links = [link for link in html.links if link.startswith(site_path)]
    assert site_path in body_links, "no link to the home page"
    # Served for any missing address, the page must only link to pages that exist.
    for link in body_links:
        target = urlsplit(urljoin(SITE_URL, link)).path.removeprefix(site_path)
        target_file = built_site / target / "index.html" if not target or target.endswith("/") else None
        if target_file is not None:
            assert target_file.is_file(), f"the 404 page links to {link}, which does not exist"
    assert "Page not found" in page.read_text(encoding="utf-8")
