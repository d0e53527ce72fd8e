// Runs in the renderer's page (see browser.py), before in_page.js: removes the
// markers and symbols a drawing defines but never uses.
//
// Mermaid puts every marker and icon its diagram type might need in each SVG:
// a sequence diagram carries a 13 KB database icon and eight markers whether
// or not it has a database or those arrows; a flowchart twelve markers. A
// <marker> or <symbol> draws nothing until something refers to it by its id
// (marker-end="url(#id)", href="#id"), wherever it sits (Mermaid puts a
// flowchart's markers in a plain <g>), so one that nothing refers to can go.
// "Refers to" is read generously: any attribute value or stylesheet text that
// holds "#id" keeps it, so a false match can only keep a definition.
(() => {
  const REMOVABLE = "marker[id], symbol[id]";

  function referenceText(svg) {
    const texts = [];
    for (const element of [svg, ...svg.querySelectorAll("*")]) {
      for (const { value } of element.attributes) {
        if (value.includes("#")) texts.push(value);
      }
      if (element.localName === "style") texts.push(element.textContent);
    }
    return texts.join("\n");
  }

  window.diagramDefinitions = {
    /** Remove the unreferenced markers and symbols of `svg`, then empty <defs>; returns how many went. */
    removeUnused(svg) {
      let removed = 0;
      // A definition may be used only by another one (a symbol in a marker):
      // repeat until nothing more goes.
      for (;;) {
        const references = referenceText(svg);
        const unused = [...svg.querySelectorAll(REMOVABLE)].filter(
          (definition) => !references.includes(`#${definition.id}`),
        );
        if (unused.length === 0) break;
        unused.forEach((definition) => definition.remove());
        removed += unused.length;
      }
      for (const defs of svg.querySelectorAll("defs")) {
        if (defs.children.length === 0 && !defs.textContent.trim()) defs.remove();
      }
      return removed;
    },
  };
})();
