// Runs inside the headless page the renderer opens (see browser.py): sets
// Mermaid up once, then draws one diagram per call and returns its SVG text.
// Everything that would make two drawings of the same source differ is pinned
// here: Math.random is seeded per diagram, and ids that Mermaid numbers with
// page-wide counters are renamed after the diagram's own id. Then the drawing
// is made lighter without changing what it shows: unused definitions
// (svg_defs.js), unused style rules (svg_styles.js) and invisible decimals
// (svg_geometry.js) go.
(() => {
  // mulberry32: a small, well-known 32-bit PRNG; enough for layout jitter.
  function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Attributes that point at an id: url(#x) in paint and marker attributes,
  // #x in href, and id lists in ARIA relations.
  const ID_LIST_ATTRIBUTES = ["aria-labelledby", "aria-describedby"];

  function scopeIds(svg, diagramId) {
    const renamed = new Map();
    let next = 0;
    for (const element of svg.querySelectorAll("[id]")) {
      if (element.id.includes(diagramId)) continue;
      const id = `${diagramId}-n${next++}`;
      renamed.set(element.id, id);
      element.id = id;
    }
    if (renamed.size === 0) return;
    for (const element of [svg, ...svg.querySelectorAll("*")]) {
      for (const attribute of [...element.attributes]) {
        let value = attribute.value;
        if (ID_LIST_ATTRIBUTES.includes(attribute.name)) {
          value = value
            .split(/\s+/)
            .map((token) => renamed.get(token) ?? token)
            .join(" ");
        } else if (value.includes("#")) {
          value = value.replace(/url\(#([^)]+)\)/g, (whole, id) => (renamed.has(id) ? `url(#${renamed.get(id)})` : whole));
          if (value.startsWith("#") && renamed.has(value.slice(1))) value = `#${renamed.get(value.slice(1))}`;
        }
        if (value !== attribute.value) element.setAttribute(attribute.name, value);
      }
    }
  }

  function errorLine(error) {
    // Jison parsers (flowchart, sequence, state...) say where; others may not.
    const line = error?.hash?.loc?.first_line ?? error?.hash?.line;
    return Number.isInteger(line) ? line : null;
  }

  window.diagramRenderer = {
    async setUp(config, fonts) {
      for (const { family, weight, style, base64 } of fonts) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const face = new FontFace(family, bytes, { weight, style, display: "block" });
        document.fonts.add(await face.load());
      }
      await document.fonts.ready;
      mermaid.initialize(config);
      return mermaid.version ?? null;
    },

    async render(diagramId, source, seed, slimming) {
      const stage = document.getElementById("diagram-stage");
      const random = Math.random;
      Math.random = seededRandom(seed);
      try {
        try {
          await mermaid.parse(source);
        } catch (error) {
          return { error: String(error?.message ?? error), line: errorLine(error) };
        }
        let svg;
        try {
          ({ svg } = await mermaid.render(diagramId, source, stage));
        } catch (error) {
          return { error: String(error?.message ?? error), line: errorLine(error) };
        }
        // Parse the SVG into the stage, as the page will hold it, to rename ids.
        const holder = document.createElement("div");
        stage.replaceChildren(holder);
        holder.innerHTML = svg;
        const drawing = holder.firstElementChild;
        scopeIds(drawing, diagramId);
        // Definitions first: the style rules for a removed marker then match nothing.
        if (slimming.includes("definitions")) window.diagramDefinitions.removeUnused(drawing);
        // Styles are matched against the drawing as the page lays it out.
        if (slimming.includes("styles")) window.diagramStyles.trim(drawing);
        if (slimming.includes("geometry")) window.diagramGeometry.round(drawing);
        return { svg: holder.innerHTML };
      } finally {
        Math.random = random;
        stage.replaceChildren();
      }
    },
  };
})();
