"""The Lighthouse audit's parts that need no browser: which pages it picks and
how its static host serves them (gzip, index.html, 404, nothing outside)."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from audit.static_host import StaticHost
from audit_site import AuditError, choose_pages, given_pages


def make_site(root: Path) -> Path:
    site = root / "site"
    pages = {
        "index.html": '<div class="mermaid"><svg ></svg></div>',
        "notes/heavy/index.html": '<div class="mermaid"><svg ></svg></div>' * 3,
        "notes/light/index.html": '<div class="mermaid"><svg ></svg></div>' + "x" * 5000,
        "notes/plain/index.html": "text " * 1000,
        "glossary/index.html": "short",
        # The print edition: every note on one page, the most diagrams and the most text.
        "print/index.html": '<div class="mermaid"><svg ></svg></div>' * 9 + "text " * 9000,
        "404.html": "Page not found",
        "assets/javascripts/x.html": "not a page " * 5000,
    }
    for path, body in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f"<html><body>{body}</body></html>")
    (root / "secret.txt").write_text("outside the site")
    return site


def test_it_picks_home_the_most_diagrams_and_the_largest_plain_page_but_not_the_print_edition(tmp_path: Path):
    chosen = [(p.role, p.path, p.diagrams) for p in choose_pages(make_site(tmp_path))]
    assert chosen == [("home", "", 1), ("diagrams", "notes/heavy/", 3), ("plain", "notes/plain/", 0)]


def test_budgets_follow_diagrams_not_the_role(tmp_path: Path):
    home, heavy, plain = choose_pages(make_site(tmp_path))
    assert home.budget.performance == heavy.budget.performance == 95
    assert plain.budget.performance == 98
    assert plain.budget.accessibility == plain.budget.best_practices == plain.budget.seo == 100


def test_a_page_that_is_not_there_is_a_clear_error(tmp_path: Path):
    with pytest.raises(AuditError, match="no such page"):
        given_pages(make_site(tmp_path), ["notes/missing/"])


def fetch(url: str, encoding: str | None = "gzip") -> tuple[int, str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Encoding"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Encoding"), error.read()


def test_the_static_host_gzips_serves_index_and_404_and_stays_in_its_folder(tmp_path: Path):
    site = make_site(tmp_path)
    with StaticHost(site) as url:
        assert url.startswith("http://127.0.0.1:")
        status, encoding, body = fetch(url + "notes/plain/")
        assert (status, encoding) == (200, "gzip")
        assert gzip.decompress(body) == (site / "notes/plain/index.html").read_bytes()
        assert fetch(url + "notes/plain/", encoding=None)[1] is None
        status, _, body = fetch(url + "nowhere/", encoding=None)
        assert (status, body) == (404, (site / "404.html").read_bytes())
        assert fetch(url + "../secret.txt", encoding=None)[0] == 404
        assert fetch(url + "%2e%2e/secret.txt", encoding=None)[0] == 404


def test_the_static_host_can_serve_uncompressed(tmp_path: Path):
    with StaticHost(make_site(tmp_path), gzip=False) as url:
        assert fetch(url)[1] is None
