"""The drawn diagrams in the built site, in a real browser: their colours follow the palette toggle
live, sequence diagram markers stay readable in the dark scheme, no label spills out of its box,
and what the renderer takes out of each drawing changes neither its styles nor its pixels."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest
from browser import diagrams_in, launch_chromium
from diagram_renderer import site_renderer, site_settings
from diagrams.renderer import DiagramRenderer, DiagramSource, diagram_id
from diagrams.settings import SLIMMING

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


# Slimming (scripts/diagrams/svg_*.js) changes no drawing ------------------------------------------

# One of each kind, with what slimming touches: rough.js shapes and markers of every kind in a
# flowchart, an icon (a <symbol>), notes and loops in a sequence diagram.
SLIMMING_SOURCES = {
    "flowchart": (
        "flowchart LR\n  accTitle: Shapes\n  accDescr: Rough and plain shapes.\n"
        "  A([Start]) --> B[(Database)] --> C{{Hex}}\n  C -.->|label| D>Flag]\n"
        "  subgraph S [Group]\n    E((Circle))\n  end\n  D ==> E\n  E --x A\n  B --o D\n"
    ),
    "sequence": (
        "sequenceDiagram\n  accTitle: Database\n  accDescr: An actor and a database.\n  autonumber\n"
        '  actor U as User\n  participant D@{ "type" : "database" }\n  U->>D: query\n'
        "  Note over U,D: a note\n  loop every minute\n    D--xU: rows\n  end\n"
    ),
    "state": (
        "stateDiagram-v2\n  accTitle: States\n  accDescr: A composite state.\n"
        "  [*] --> Pending\n  state Pending {\n    [*] --> Waiting\n  }\n  Pending --> Done: paid\n"
        "  note right of Done: kept\n  Done --> [*]\n"
    ),
    "mindmap": "---\ntitle: Map\n---\nmindmap\n  root((Shop))\n    Orders\n      Returns\n    Payments\n",
}
NO_SLIMMING: tuple[str, ...] = ()
UNROUNDED = tuple(step for step in SLIMMING if step != "geometry")

# Every computed style property of every element a drawing renders, keyed so that the same
# element is found in a slimmed copy (markers and symbols by id, the rest in document order).
# Stored by a first call (`store`), compared by a second; geometry that rounding changes (`d`)
# is left out, and compared by the next test.
COMPUTED_STYLES = """
([html, store]) => {
  const holder = document.createElement("div");
  holder.className = "mermaid";
  document.querySelector("article").prepend(holder);
  holder.innerHTML = html;
  const svg = holder.querySelector("svg");
  const styles = new Map();
  let position = 0;
  for (const element of [svg, ...svg.querySelectorAll("*")]) {
    if (element.closest("style")) continue;
    const definition = element.closest("marker, symbol");
    let key;
    const inDefinition = definition && [definition, ...definition.querySelectorAll("*")].indexOf(element);
    if (definition) key = `${definition.id}/${inDefinition}`;
    else if (element.localName === "defs") continue;
    else key = `${position++}:${element.localName}`;
    const computed = getComputedStyle(element);
    styles.set(key, Object.fromEntries([...computed].filter((name) => name !== "d")
                                       .map((name) => [name, computed.getPropertyValue(name)])));
  }
  holder.remove();
  if (store) {
    window.unslimmed = styles;
    return { elements: styles.size };
  }
  const differences = [];
  for (const [key, values] of styles) {
    const before = window.unslimmed.get(key);
    if (!before) { differences.push(`${key}: not in the unslimmed drawing`); continue; }
    for (const [name, value] of Object.entries(values)) {
      if (before[name] !== value) differences.push(`${key} ${name}: ${before[name]} -> ${value}`);
    }
  }
  const unslimmedMain = [...window.unslimmed.keys()].filter((key) => !key.includes("/")).length;
  const slimmedMain = [...styles.keys()].filter((key) => !key.includes("/")).length;
  return { elements: styles.size, unslimmedMain, slimmedMain, differences: differences.slice(0, 20) };
}
"""


def drawn_with(slimming: tuple[str, ...], cache: Path) -> dict[str, str]:
    renderer = DiagramRenderer(dataclasses.replace(site_settings(), slimming=slimming), cache)
    try:
        return {
            name: renderer.render(DiagramSource(text, diagram_id(text), Path(f"{name}.mmd")))
            for name, text in SLIMMING_SOURCES.items()
        }
    finally:
        renderer.close()


@pytest.fixture(scope="module")
def slimming_drawings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], dict[str, str]]:
    return {
        steps: drawn_with(steps, tmp_path_factory.mktemp("slimming"))
        for steps in (NO_SLIMMING, UNROUNDED, SLIMMING)
    }


def test_slimming_takes_out_most_of_each_drawing(slimming_drawings):
    unslimmed, slimmed = slimming_drawings[NO_SLIMMING], slimming_drawings[SLIMMING]
    for name in SLIMMING_SOURCES:
        assert len(slimmed[name]) < 0.8 * len(unslimmed[name]), name
    # What Mermaid puts in every drawing of a kind, used or not: icons, markers.
    assert unslimmed["sequence"].count("<symbol") == 3 and "<symbol" not in slimmed["sequence"]
    assert unslimmed["flowchart"].count("<marker") == 12
    # The flowchart's edges end in an arrow, a cross and a circle: those stay.
    assert 3 <= slimmed["flowchart"].count("<marker") < 12
    assert "edge-animation-fast" in unslimmed["state"] and "edge-animation-fast" not in slimmed["state"]


def test_a_slimmed_drawing_is_styled_as_mermaid_drew_it_in_both_schemes(
    site_url: str, browser, slimming_drawings
):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url, wait_until="load")
        for scheme in ("default", "slate"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            for name in SLIMMING_SOURCES:
                before = page.evaluate(COMPUTED_STYLES, [slimming_drawings[NO_SLIMMING][name], True])
                after = page.evaluate(COMPUTED_STYLES, [slimming_drawings[UNROUNDED][name], False])
                assert after["differences"] == [], (scheme, name)
                # Every element that draws is there, each styled as before; only unused
                # definitions are gone.
                assert after["slimmedMain"] == after["unslimmedMain"] > 5, (scheme, name)
                assert 0 < after["elements"] <= before["elements"], (scheme, name)
    finally:
        context.close()


# Two screenshots (PNG, base64) -> how many pixels differ, and by how much at most (0-255).
PIXEL_DIFFERENCE = """
async ([first, second]) => {
  const load = (data) => new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = reject;
    image.src = `data:image/png;base64,${data}`;
  });
  const images = [await load(first), await load(second)];
  if (images[0].width !== images[1].width || images[0].height !== images[1].height) {
    return { size: images.map((image) => [image.width, image.height]) };
  }
  const [a, b] = images.map((image) => {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  });
  let differing = 0, largest = 0;
  for (let i = 0; i < a.length; i += 4) {
    const difference = Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]),
                                Math.abs(a[i + 2] - b[i + 2]), Math.abs(a[i + 3] - b[i + 3]));
    if (difference) { differing++; largest = Math.max(largest, difference); }
  }
  return { pixels: a.length / 4, differing, largest };
}
"""
SHOW_ALONE = """
(html) => {
  const article = document.querySelector("article");
  article.replaceChildren();
  const holder = document.createElement("div");
  holder.className = "mermaid";
  holder.innerHTML = html;
  article.append(holder);
  window.scrollTo(0, 0);
  // Where each shape lies, in the drawing's own units.
  const svg = holder.querySelector("svg");
  return [...svg.querySelectorAll("path, rect, polygon, polyline, circle, ellipse, line")]
    .filter((shape) => !shape.closest("marker, symbol, defs"))
    .map((shape) => { const box = shape.getBBox(); return [box.x, box.y, box.width, box.height]; });
}
"""


def test_rounding_moves_no_outline_visibly(site_url: str, browser, slimming_drawings):
    """Each drawing with its outlines rounded and without, alone at the same place on a page of the
    site, in both schemes: every shape's box within 1/100 of a unit of where it was, and no more
    than anti-aliasing changes in the pixels (a line 0.005 px away can split its grey differently
    between two columns of pixels, never more)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    scratch = context.new_page()
    results = {}
    try:
        page.goto(site_url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        for scheme in ("default", "slate"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            for name in SLIMMING_SOURCES:
                shots, boxes = [], []
                for steps in (UNROUNDED, SLIMMING):
                    boxes.append(page.evaluate(SHOW_ALONE, slimming_drawings[steps][name]))
                    png = page.locator("article div.mermaid > svg").screenshot()
                    shots.append(base64.b64encode(png).decode("ascii"))
                assert len(boxes[0]) == len(boxes[1]) > 3, name
                moved = max(
                    abs(a - b) for pair in zip(*boxes, strict=True) for a, b in zip(*pair, strict=True)
                )
                assert moved <= 0.01, (name, moved)
                results[scheme, name] = scratch.evaluate(PIXEL_DIFFERENCE, shots)
    finally:
        context.close()
    for key, result in results.items():
        assert "size" not in result, (key, result)
        assert result["differing"] <= 0.02 * result["pixels"], (key, result)
    # Not a vacuous comparison: rounding did change some pixels.
    assert any(result["differing"] for result in results.values())
