"""The site builds strictly, with no network, with every diagram drawn in it and its own font."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from browser import DIAGRAM_SOURCE_BLOCK, diagrams_in
from content.diagram_sources import diagram_includes, inline_diagrams
from content.site_pages import site_pages
from diagrams.font import FONT_FILES, FONT_PACKAGE, FONTS_IN_SITE
from site_build import REPO_ROOT, offline_env


def test_site_builds_strict_with_the_network_unavailable(
    site_build: tuple[Path, subprocess.CompletedProcess[str]],
):
    destination, result = site_build
    assert result.returncode == 0, result.stderr[-4000:]
    assert (destination / "index.html").is_file()


def test_the_network_guard_refuses_the_internet_but_not_loopback():
    # If the guard let traffic through, the offline build test would prove nothing.
    probe = (
        "import socket, urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('https://unpkg.com/', timeout=5)\n"
        "except OSError as error:\n"
        "    print('refused:', error)\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "socket.create_connection(server.getsockname(), timeout=5).close()\n"
        "print('loopback ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=offline_env(), capture_output=True, text=True, check=True
    )
    assert "refused: <urlopen error network disabled for this test" in result.stdout
    assert "loopback ok" in result.stdout


def mermaid_fences(root: Path) -> int:
    """How many ```mermaid fences the site's pages hold (each pulls in a diagram or is one)."""
    return sum(
        len(list(diagram_includes(page))) + len(list(inline_diagrams(page))) for page in site_pages(root)
    )


def test_every_diagram_is_inline_svg_and_no_mermaid_ships(built_site: Path):
    # Diagrams are drawn at build time (scripts/hooks/prerender_diagrams.py): the
    # library is not published, no page loads it, and none is left to draw.
    assert not [path for path in built_site.rglob("*") if "mermaid" in path.name.lower()]
    drawn = in_print_edition = 0
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(built_site)
        assert DIAGRAM_SOURCE_BLOCK not in html, f"{where} asks the browser to draw a diagram"
        for cdn in ("unpkg.com", "cdn.jsdelivr.net", "fonts.googleapis.com", "fonts.gstatic.com"):
            assert cdn not in html, f"{where} references {cdn}"
        if where.as_posix() == "print/index.html":
            in_print_edition = diagrams_in(html)  # every note again, on one page
        else:
            drawn += diagrams_in(html)
    assert drawn == mermaid_fences(REPO_ROOT) > 0
    assert in_print_edition == drawn


def test_the_diagram_font_ships_with_the_site(built_site: Path):
    """The font diagrams were measured in is published from the pinned npm package and shown with swap."""
    stylesheet = (built_site / "assets/stylesheets/diagram-font.css").read_text(encoding="utf-8")
    assert stylesheet.count("font-display: swap;") == stylesheet.count("@font-face") == len(FONT_FILES)
    for file in FONT_FILES.values():
        name = Path(file).name
        published = built_site / FONTS_IN_SITE / name
        assert published.read_bytes() == (REPO_ROOT / "node_modules" / FONT_PACKAGE / file).read_bytes()
        assert f'url("../fonts/{name}")' in stylesheet
