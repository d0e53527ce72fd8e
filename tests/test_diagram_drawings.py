"""The drawn diagrams in the built site, in a real browser: their colours follow the palette toggle
live, sequence diagram markers stay readable in the dark scheme, and no label spills out of its box."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import diagrams_in, launch_chromium
from diagram_renderer import site_renderer
from diagrams.renderer import DiagramSource, diagram_id

pytestmark = pytest.mark.browser

# Every label's box must lie inside its node's box (1px for anti-aliasing).
# Sequence actors drawn as stick figures have no box, so only boxed actors count.
LABELS_OUTSIDE_THEIR_BOXES = """
() => {
  const SHAPES = "rect, polygon, circle, ellipse, path";
  const pairs = [];
  for (const svg of document.querySelectorAll("div.mermaid > svg")) {
    for (const node of svg.querySelectorAll("g.node")) {
      // The shape is a child of the node, or (rounded and stadium shapes) in a group of its own.
      const shape = [...node.children].find((child) => child.matches(SHAPES))
        || [...node.children].find((child) => child.matches("g:not(.label)") && child.querySelector(SHAPES))
             ?.querySelector(SHAPES);
      for (const label of node.querySelectorAll(".nodeLabel, text")) {
        if (label.textContent.trim()) pairs.push([svg, shape, label]);
      }
    }
    for (const text of svg.querySelectorAll("text.actor, text.noteText")) {
      const box = text.parentElement.querySelector(text.matches(".actor") ? "rect.actor" : "rect.note");
      if (box) pairs.push([svg, box, text]);
    }
  }
  const problems = [];
  for (const [svg, shape, label] of pairs) {
    if (!shape) { problems.push(`${svg.id}: "${label.textContent.trim()}" has no box`); continue; }
    const outer = shape.getBoundingClientRect(), inner = label.getBoundingClientRect();
    const inside = inner.left >= outer.left - 1 && inner.right <= outer.right + 1
      && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
    if (!inside) problems.push(`${svg.id}: "${label.textContent.trim()}" spills out of its box`);
  }
  return { checked: pairs.length, problems };
}
"""

# A sequence diagram with every marker Material's themeCSS misses in Mermaid 11:
# arrowheads, a crosshead (--x) and sequence numbers (autonumber).
SEQUENCE = (
    "sequenceDiagram\n  accTitle: Markers\n  accDescr: Every marker.\n  autonumber\n"
    "  participant O as Order\n  participant P as Payment\n  O->>P: Authorise\n  P--xO: Declined\n"
)

# Computed colours of one drawing's parts; the probe resolves a palette variable the same way.
COLOURS = """
([selector]) => {
  const svg = document.querySelector(selector);
  const colour = (query, property) => {
    const element = svg.querySelector(query);
    return element ? getComputedStyle(element)[property] : null;
  };
  const probe = (variable, property = "fill") => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    element.style[property] = `var(${variable})`;
    svg.appendChild(element);
    const value = getComputedStyle(element)[property];
    element.remove();
    return value;
  };
  return {
    page: getComputedStyle(document.body).backgroundColor,
    node: colour(".node rect, .node polygon, .node circle, .node path, rect.actor", "fill"),
    nodeVariable: probe(svg.querySelector(".node") ? "--md-mermaid-node-bg-color"
                                                  : "--md-mermaid-sequence-actor-bg-color"),
    label: colour(".nodeLabel", "color"),
    labelVariable: probe("--md-mermaid-label-fg-color", "color"),
    edge: colour(".flowchart-link, .transition", "stroke"),
    edgeVariable: probe("--md-mermaid-edge-color", "stroke"),
    arrowhead: colour("marker[id$='-arrowhead'] path", "fill"),
    crosshead: colour("marker[id$='-crosshead'] path", "stroke"),
    numberDisc: colour("marker[id$='-sequencenumber'] circle", "fill"),
    number: colour("text.sequenceNumber", "fill"),
    messageLineVariable: probe("--md-mermaid-sequence-message-line-color"),
  };
}
"""


def channels(css: str) -> tuple[float, float, float, float]:
    """rgb()/rgba() as computed by the browser -> (r, g, b, alpha)."""
    inside = css[css.index("(") + 1 : css.rindex(")")].replace("/", ",")
    values = [float(part) for part in inside.replace(",", " ").split()]
    return (values[0], values[1], values[2], values[3] if len(values) > 3 else 1.0)


def luminance(css: str) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b, _ = channels(css)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def pages_with_diagrams(site: Path) -> list[str]:
    paths = []
    for html in sorted(site.rglob("index.html")):
        if diagrams_in(html.read_text(encoding="utf-8")):
            paths.append(html.parent.relative_to(site).as_posix().removeprefix("."))
    return [path + "/" if path else "" for path in paths]


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def switch_scheme(page) -> None:
    """Click Material's palette toggle until the page shows the other scheme (no reload)."""
    before = page.locator("body").get_attribute("data-md-color-scheme")
    for _ in range(3):
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        if page.locator("body").get_attribute("data-md-color-scheme") != before:
            return
    raise AssertionError("the palette toggle never changed the scheme")


def test_every_label_lies_inside_its_box(built_site: Path, site_url: str, browser):
    pages = pages_with_diagrams(built_site)
    assert pages
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    checked, problems = 0, []
    try:
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            result = page.evaluate(LABELS_OUTSIDE_THEIR_BOXES)
            checked += result["checked"]
            problems += [f"/{path}: {problem}" for problem in result["problems"]]
    finally:
        context.close()
    assert checked > 0
    assert problems == [], "\n".join(problems)


def test_a_diagram_follows_the_palette_toggle_live(built_site: Path, site_url: str, browser):
    # The first page with a drawing that has labelled nodes and edges (a flowchart or state diagram).
    drawing = "div.mermaid > svg:has(.node .nodeLabel):has(.flowchart-link, .transition)"
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    try:
        for path in pages_with_diagrams(built_site):
            page.goto(site_url + path, wait_until="load")
            if page.locator(drawing).count():
                break
        else:
            pytest.fail("no page has a flowchart or state diagram to check")
        page.evaluate("window.notReloaded = true")
        light = page.evaluate(COLOURS, [drawing])
        switch_scheme(page)
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        dark = page.evaluate(COLOURS, [drawing])
        assert page.evaluate("window.notReloaded === true"), "the page reloaded to change scheme"
    finally:
        context.close()
    # The same SVG, coloured by Material's palette variables in each scheme.
    for colours in (light, dark):
        assert colours["node"] == colours["nodeVariable"]
        assert colours["label"] == colours["labelVariable"]
        assert colours["edge"] == colours["edgeVariable"]
        assert contrast(colours["label"], colours["page"]) >= 4.5
    assert light["page"] != dark["page"]
    assert light["label"] != dark["label"] and light["edge"] != dark["edge"]


def test_sequence_markers_are_readable_in_both_schemes(site_url: str, browser, tmp_path: Path):
    """A sequence diagram drawn by the site's renderer, shown in a page of the built site."""
    # The renderer's Chromium runs beside the test's own (on a thread of its own).
    renderer = site_renderer(tmp_path)
    try:
        svg = renderer.render(DiagramSource(SEQUENCE, diagram_id(SEQUENCE), Path("test.mmd")))
    finally:
        renderer.close()
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    schemes = {}
    try:
        page.goto(site_url, wait_until="load")
        page.evaluate(
            "svg => { const d = document.createElement('div'); d.className = 'mermaid'; d.innerHTML = svg;"
            " document.querySelector('article').prepend(d); }",
            svg,
        )
        schemes["default"] = page.evaluate(COLOURS, ["div.mermaid > svg"])
        switch_scheme(page)
        schemes["slate"] = page.evaluate(COLOURS, ["div.mermaid > svg"])
    finally:
        context.close()
    for scheme, colours in schemes.items():
        # Material's message line colour, not Mermaid's fixed dark grey.
        assert colours["arrowhead"] == colours["messageLineVariable"], scheme
        assert colours["crosshead"] == colours["messageLineVariable"], scheme
        for marker in ("arrowhead", "crosshead", "numberDisc"):
            assert contrast(colours[marker], colours["page"]) >= 3, (scheme, marker, colours)
        assert contrast(colours["number"], colours["numberDisc"]) >= 3, (scheme, colours)
    assert schemes["default"]["arrowhead"] != schemes["slate"]["arrowhead"]
