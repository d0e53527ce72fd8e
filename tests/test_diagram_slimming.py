"""What the renderer takes out of each drawing (scripts/diagrams/svg_*.js), tested piece by piece in
a blank Chromium page: unused markers and symbols, unused style rules, invisible decimals, and
nothing else. tests/test_diagram_renderer.py checks whole drawings of the site's diagram kinds."""

from __future__ import annotations

import pytest
from browser import launch_chromium
from diagrams.settings import IN_PAGE_SCRIPTS

pytestmark = pytest.mark.browser

SLIMMING_SCRIPTS = [script for script in IN_PAGE_SCRIPTS if script.name.startswith("svg_")]


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_content('<!doctype html><html><body><div id="stage"></div></body></html>')
    for script in SLIMMING_SCRIPTS:
        page.add_script_tag(path=str(script))
    yield page
    page.close()


def show(page, svg: str) -> None:
    page.evaluate("svg => { document.getElementById('stage').innerHTML = svg; }", svg)


def stage_svg(page) -> str:
    return page.evaluate("document.querySelector('#stage > svg').outerHTML")


# Geometry -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "rounded"),
    [
        # rough.js, as Mermaid writes it: the minus sign separates numbers, no space needed.
        (
            "M-83.875 -31.5 C-37.54369759906549 -31.5, 8.787604801869023 -31.5, 83.875 -31.5",
            "M-83.88-31.5C-37.54-31.5 8.79-31.5 83.88-31.5",
        ),
        # Arc flags are one character each and may touch ("00"); radii and angle are rounded.
        ("M0,15.808823529411764 a107.5,15.808823529411764 0,0,0 215,0", "M0 15.81a107.5 15.81 0 0 0 215 0"),
        ("M2 2a1.2345 1.2345 0 00 1 1z", "M2 2a1.23 1.23 0 0 0 1 1z"),
        # Implicit repeats (a lineto after M), exponents, H and V.
        ("M1.2341 2.6789 3.1111 4.9999", "M1.23 2.68 3.11 5"),
        ("M1e-7 2E2 H 3.14159 V -0.0001 Z", "M0 200H3.14V0Z"),
        # Relative commands: each rounded against where the rounded path has got to.
        ("m1.004 1.004 l.004 .004 .004 .004 z", "m1 1l0.01 0.01 0 0z"),
    ],
)
def test_path_data_is_rounded_by_its_grammar(page, d: str, rounded: str):
    assert page.evaluate("d => window.diagramGeometry.roundPath(d)", d) == rounded


def test_relative_path_errors_never_add_up(page):
    """A hundred relative steps of 0.004 each: rounded alone they would all be 0, and the path would
    end 0.4 short; every point of the rounded path stays within half a step of the exact one."""
    result = page.evaluate(
        """() => {
          const d = "M0 0" + " l0.004 0.0041".repeat(100);
          const rounded = window.diagramGeometry.roundPath(d);
          const ends = (data) => {
            let x = 0, y = 0;
            const points = [];
            for (const { command, values } of window.diagramGeometry.parsePath(data)) {
              for (let i = 0; i < values.length; i += 2) {
                x = command === "l" ? x + values[i] : values[i];
                y = command === "l" ? y + values[i + 1] : values[i + 1];
                points.push([x, y]);
              }
            }
            return points;
          };
          const exact = ends(d), drawn = ends(rounded);
          return { count: [exact.length, drawn.length],
                   worst: Math.max(...exact.map(([x, y], i) => Math.max(Math.abs(x - drawn[i][0]),
                                                                        Math.abs(y - drawn[i][1])))) };
        }"""
    )
    assert result["count"][0] == result["count"][1] == 101
    assert result["worst"] <= 0.005 + 1e-9


def test_outlines_are_rounded_and_nothing_else(page):
    """Path data and point lists; not where text sits (transforms, x and y, the viewBox)."""
    unchanged = (
        '<svg id="d" width="100%" style="max-width: 1161.609375px;" viewBox="0 0 1161.609375 84.123"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<g transform="translate(-59.9296875, -12) scale(.5)">'
        '<rect x="-89.9296875" y="-27" width="179.859375" height="54" rx="3.33333"></rect>'
        '<text x="12.34567" dy="1em" data-points="1.23456">t</text>'
        # Not path data: left to the browser as it was.
        '<path d="M 1 2 X 3.33333"></path>'
        '<foreignObject width="119.859375" height="24"><div xmlns="http://www.w3.org/1999/xhtml"'
        ' style="max-width: 200.123456px" d="1.23456" points="1.23456">label</div></foreignObject>'
    )
    show(
        page,
        unchanged
        + '<polygon points="0,7 11.5555,14 11.5,0"></polygon><path d="M0.123456 1L2 2"></path></g></svg>',
    )
    changed = page.evaluate("window.diagramGeometry.round(document.querySelector('#stage > svg'))")
    assert (
        stage_svg(page)
        == unchanged
        + '<polygon points="0 7 11.56 14 11.5 0"></polygon><path d="M0.12 1L2 2"></path></g></svg>'
    )
    assert changed == 2


# Styles -------------------------------------------------------------------------------------------


def test_selectors_are_split_and_state_pseudo_classes_stripped_for_the_test(page):
    split = "text => window.diagramStyles.testableSelectors(text)"
    assert page.evaluate(split, "#a .node:hover rect,#a span") == ["#a .node:is(*) rect", "#a span"]
    assert page.evaluate(split, '#a [title="x,y:hover"] p::before,#a p:first-child') == [
        '#a [title="x,y:hover"] p:is(*)',
        "#a p:first-child",
    ]
    assert page.evaluate(split, "#a :is(.x, .y) b") == ["#a :is(.x, .y) b"]
    # A state inside :not() or :is() cannot be stripped without the state itself: untestable.
    assert page.evaluate(split, "#a .x:not(:hover)") is None


def test_statements_are_split_at_the_top_level_only(page):
    css = (
        '#a .x{content:"}{;";fill:red;}@keyframes k{from{opacity:0;}to{opacity:1;}}'
        "@media print{#a .y{fill:blue;}}/* a } comment */#a .z{fill:green;}"
    )
    assert page.evaluate("css => window.diagramStyles.topLevelStatements(css)", css) == [
        '#a .x{content:"}{;";fill:red;}',
        "@keyframes k{from{opacity:0;}to{opacity:1;}}",
        "@media print{#a .y{fill:blue;}}",
        "/* a } comment */#a .z{fill:green;}",
    ]


TRIMMED_SVG = """<svg id="a" xmlns="http://www.w3.org/2000/svg"><style>{css}</style>
<g class="node clickable"><rect class="box"></rect><text>t</text></g>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">
<span class="nodeLabel"><p>x</p></span></div></foreignObject></svg>"""


def trimmed(page, css: str) -> tuple[str, int]:
    show(page, TRIMMED_SVG.format(css=css))
    dropped = page.evaluate("window.diagramStyles.trim(document.querySelector('#stage > svg'))")
    return page.evaluate("document.querySelector('#stage style').textContent"), dropped


def test_only_rules_that_select_something_in_the_drawing_are_kept_verbatim(page):
    kept = [
        '#a{font-family:"Roboto",sans-serif;fill:#333;}',
        "#a .node rect,#a .cluster rect{fill:var(--md-mermaid-node-bg-color);}",
        "#a .node.clickable:hover rect{cursor:pointer;}",
        "#a .nodeLabel p{margin:0;}",
        "#a .box{animation:dash 5s linear infinite;}",
        "@keyframes dash{to{stroke-dashoffset:0;}}",
        "@media print{#a text{fill:black;}}",
        "#a .box:not(:hover){stroke:red;}",
        # Unknown to Chromium: it cannot tell that nothing uses them.
        "#a ::-moz-selection{color:red;}",
        "@font-feature-values Roboto{@styleset{nice:1;}}",
    ]
    dropped = [
        "#a .edge-animation-fast{stroke-dasharray:9,5!important;animation:spin 20s linear infinite;}",
        "@keyframes spin{to{stroke-dashoffset:0;}}",
        "#a .cluster-label text{fill:#333;}",
        "#a .error-icon:hover{fill:#552222;}",
        "#a svg{font-size:16px;}",
        "@media print{#a .cluster{fill:black;}}",
    ]
    css, count = trimmed(page, "".join(kept[:3] + dropped[:3] + kept[3:6] + dropped[3:] + kept[6:]))
    assert css == "".join(kept)
    assert count == len(dropped)


def test_keyframes_are_kept_when_an_animation_names_them_through_a_variable(page):
    css, count = trimmed(page, "#a .box{animation:var(--spin);}@keyframes dash{to{opacity:0;}}")
    assert css == "#a .box{animation:var(--spin);}@keyframes dash{to{opacity:0;}}"
    assert count == 0


# Definitions --------------------------------------------------------------------------------------


def test_only_unreferenced_markers_and_symbols_are_removed(page):
    show(
        page,
        '<svg id="s" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><marker id="s-arrowhead"><path d="M0 0"></path></marker></defs>'
        '<defs><marker id="s-crosshead"><use href="#s-dot"></use></marker></defs>'
        '<defs><symbol id="s-dot"><circle r="1"></circle></symbol></defs>'
        '<defs><symbol id="s-database"><path d="M1 1"></path></symbol></defs>'
        '<defs><symbol id="s-clock"><path d="M2 2"></path></symbol></defs>'
        '<defs><linearGradient id="s-unused-gradient"></linearGradient></defs>'
        '<g><marker id="s-pointEnd"><path d="M0 0"></path></marker>'
        '<marker id="s-pointEnd-margin"><path d="M0 0"></path></marker></g>'
        '<line marker-end="url(#s-arrowhead)"></line><use xlink:href="#s-clock"></use>'
        '<path marker-end="url(#s-pointEnd)"></path>'
        "</svg>",
    )
    removed = page.evaluate("window.diagramDefinitions.removeUnused(document.querySelector('#stage > svg'))")
    # The dot was used only by the unused crosshead; a gradient is not the renderer's to judge;
    # markers outside <defs> (a flowchart's) count as well.
    assert removed == 4
    assert stage_svg(page) == (
        '<svg id="s" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><marker id="s-arrowhead"><path d="M0 0"></path></marker></defs>'
        '<defs><symbol id="s-clock"><path d="M2 2"></path></symbol></defs>'
        '<defs><linearGradient id="s-unused-gradient"></linearGradient></defs>'
        '<g><marker id="s-pointEnd"><path d="M0 0"></path></marker></g>'
        '<line marker-end="url(#s-arrowhead)"></line><use xlink:href="#s-clock"></use>'
        '<path marker-end="url(#s-pointEnd)"></path>'
        "</svg>"
    )
