"""The diagram renderer (scripts/diagrams/): the same SVG for the same source on every build and
machine, a cache that spares the browser, and errors that name the file and line to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import diagrams.browser
import pytest
from browser import chromium_path
from diagram_renderer import site_renderer
from diagrams.browser import CHROMIUM_ENV
from diagrams.html_blocks import mermaid_blocks, replace_blocks
from diagrams.renderer import DiagramError, DiagramSource, diagram_id
from diagrams.svg_safety import unsafe_markup
from site_build import REPO_ROOT

# One of each kind the site uses, written for these tests; the sequence diagram
# exercises Mermaid's page-wide id counters, the mindmap its random layout.
SOURCES = {
    "sequence": (
        "sequenceDiagram\n  accTitle: Test sequence\n  accDescr: Two calls.\n  autonumber\n"
        "  participant O as Order\n  participant P as Payment\n  O->>P: Authorise\n  P--xO: Declined\n"
    ),
    "flowchart": (
        "flowchart LR\n  accTitle: Test flow\n  accDescr: A to B.\n  A[Order placed] --> B{Stock?}\n"
    ),
    "state": (
        "stateDiagram-v2\n  accTitle: Test states\n  accDescr: Two states.\n"
        "  [*] --> Pending\n  Pending --> Done\n"
    ),
    "mindmap": "---\ntitle: Test map\n---\nmindmap\n  root((Shop))\n    Orders\n    Payments\n    Shipping\n",
}


def source(name: str, path: Path = Path("diagrams/test.mmd")) -> DiagramSource:
    text = SOURCES[name]
    return DiagramSource(text, diagram_id(text), path)


def draw_all(cache_dir: Path, names: list[str]) -> dict[str, str]:
    renderer = site_renderer(cache_dir)
    try:
        return {name: renderer.render(source(name)) for name in names}
    finally:
        renderer.close()


@pytest.fixture(scope="module")
def first_drawings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if chromium_path() is None:
        from browser import _unavailable

        _unavailable("Chromium is not installed: install the Debian package 'chromium'")
    cache = tmp_path_factory.mktemp("cache")
    return cache, draw_all(cache, list(SOURCES))


@pytest.mark.browser
def test_the_same_source_gives_the_same_bytes_whatever_was_drawn_before(first_drawings, tmp_path: Path):
    _, first = first_drawings
    # Another cache, so everything is drawn again, in another order, and with a
    # sequence diagram drawn first to move Mermaid's page-wide counters on.
    again = draw_all(tmp_path, ["flowchart", "sequence", "mindmap", "state"])
    assert again == first
    assert all(svg.startswith(f'<svg id="{diagram_id(SOURCES[name])}"') for name, svg in first.items())


@pytest.mark.browser
def test_every_id_in_a_drawing_belongs_to_that_drawing(first_drawings):
    _, first = first_drawings
    for name, svg in first.items():
        own = diagram_id(SOURCES[name])
        ids = [value for block in svg.split(' id="')[1:] for value in [block.split('"', 1)[0]]]
        assert ids and all(own in value for value in ids), (name, [v for v in ids if own not in v])


@pytest.mark.browser
def test_a_cached_drawing_is_served_without_a_browser(first_drawings, monkeypatch: pytest.MonkeyPatch):
    cache, first = first_drawings
    # Were the browser needed, it could not start.
    monkeypatch.setenv(CHROMIUM_ENV, "/nonexistent/chromium")
    renderer = site_renderer(cache)
    try:
        assert renderer.render(source("sequence")) == first["sequence"]
        assert (renderer.stats.launches, renderer.stats.from_cache, renderer.stats.drawn) == (0, 1, 0)
    finally:
        renderer.close()


@pytest.mark.browser
def test_the_drawing_does_not_depend_on_the_machines_fonts(
    first_drawings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """On a machine whose only font is a serif face, and whose fontconfig hints fully (whole-pixel
    glyph advances), the SVGs are the same: text is measured in the site's font, with fixed settings."""
    _, first = first_drawings
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(REPO_ROOT / "node_modules/katex/dist/fonts/KaTeX_Main-Regular.ttf", fonts)
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        '<match target="pattern"><edit name="hintstyle" mode="assign"><const>hintfull</const></edit></match>'
        "</fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))
    monkeypatch.setattr(diagrams.browser, "SYSTEM_FONT_DIRS", (fonts,))
    assert draw_all(tmp_path / "cache", list(SOURCES)) == first


@pytest.mark.browser
def test_a_broken_diagram_names_its_file_and_line(tmp_path: Path):
    text = "flowchart LR\n  A --> B\n  B -->> C ]\n"
    renderer = site_renderer(tmp_path)
    try:
        with pytest.raises(DiagramError) as raised:
            renderer.render(DiagramSource(text, diagram_id(text), Path("diagrams/broken.mmd"), first_line=1))
        with pytest.raises(DiagramError) as inline:
            renderer.render(DiagramSource(text, diagram_id(text), Path("docs/note.md"), first_line=12))
    finally:
        renderer.close()
    assert str(raised.value).startswith("diagrams/broken.mmd:3: Parse error on line 3")
    assert str(inline.value).startswith("docs/note.md:14: ")


def test_blocks_are_found_by_parsing_and_replaced_in_place():
    html = (
        "<p>Before</p>\n"
        '<pre class="mermaid"><code>flowchart LR\n  A --&gt; B\n</code></pre>\n'
        '<pre><code>&lt;pre class="mermaid"&gt;shown as code&lt;/pre&gt;</code></pre>\n'
        '<div><pre class="mermaid other"><code>sequenceDiagram\n  A-&gt;&gt;B: hi\n</code></pre></div>'
    )
    blocks = mermaid_blocks(html)
    assert [block.source for block in blocks] == [
        "flowchart LR\n  A --> B\n",
        "sequenceDiagram\n  A->>B: hi\n",
    ]
    replaced = replace_blocks(html, blocks, lambda block: f"[{block.source.split()[0]}]")
    assert replaced == (
        "<p>Before</p>\n[flowchart]\n"
        '<pre><code>&lt;pre class="mermaid"&gt;shown as code&lt;/pre&gt;</code></pre>\n'
        "<div>[sequenceDiagram]</div>"
    )


def test_active_content_in_a_drawing_is_refused():
    assert unsafe_markup('<svg><g><text>ok</text></g><a href="#x">x</a></svg>') == []
    assert unsafe_markup(
        '<svg onload="x()"><script>x()</script><a xlink:href=" javascript:x()">x</a>'
        '<foreignObject><iframe src="x"></iframe></foreignObject></svg>'
    ) == [
        "event handler onload= on <svg>",
        "<script> element",
        "script URL in xlink:href= on <a>",
        "<iframe> element",
    ]
