// Paper: print in the light scheme whatever scheme the reader chose, and keep
// every diagram within one page; put everything back afterwards.
(() => {
  // The tallest a diagram may be: Letter's height less generous margins (233 mm at 96 px/in).
  const MAX_DIAGRAM_HEIGHT_PX = 880;
  const body = document.body;
  let chosenScheme = null;
  const scaled = [];

  window.addEventListener("beforeprint", () => {
    chosenScheme = body.getAttribute("data-md-color-scheme");
    body.setAttribute("data-md-color-scheme", "default");
    // A diagram taller than a page is scaled down as a whole (its drawing may
    // sit in a shadow root that page styles cannot reach). Zoom also widens the
    // room the drawing may fill, so scale again until it fits.
    for (const diagram of document.querySelectorAll(".md-typeset .mermaid")) {
      let zoom = 1;
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const height = diagram.getBoundingClientRect().height;
        if (height <= MAX_DIAGRAM_HEIGHT_PX) break;
        zoom = Math.floor(zoom * (MAX_DIAGRAM_HEIGHT_PX / height) * 1000) / 1000;
        diagram.style.zoom = String(zoom);
      }
      if (zoom < 1) scaled.push(diagram);
    }
  });

  window.addEventListener("afterprint", () => {
    if (chosenScheme !== null) body.setAttribute("data-md-color-scheme", chosenScheme);
    chosenScheme = null;
    for (const diagram of scaled.splice(0)) diagram.style.zoom = "";
  });
})();
