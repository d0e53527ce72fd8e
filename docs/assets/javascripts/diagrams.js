// Diagrams are SVG drawn at build time (scripts/hooks/prerender_diagrams.py).
// One wider than the content column is shrunk to fit it; this adds a button
// that opens it at full size in a dialog, where it pans by dragging with the
// mouse and by the arrow keys (the dialog's scroll area takes focus), and
// closes with Escape or its Close button. The SVG itself moves into the
// dialog and back, so no id is ever on the page twice.
(() => {
  const SLACK_PX = 2;

  function naturalWidth(svg) {
    return svg.viewBox?.baseVal?.width || 0;
  }

  function openFullSize(figure, svg) {
    const title = svg.querySelector("title")?.textContent?.trim() || "Diagram";
    const dialog = document.createElement("dialog");
    dialog.className = "diagram-dialog";
    dialog.setAttribute("aria-label", `${title}, full size`);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "md-button diagram-dialog__close";
    close.textContent = "Close";
    const area = document.createElement("div");
    area.className = "diagram-dialog__area";
    area.tabIndex = 0;
    area.setAttribute("role", "group");
    area.setAttribute("aria-label", "Diagram at full size: drag or use the arrow keys to pan");
    const placeholder = document.createComment("diagram shown full size");
    const width = svg.getAttribute("width");
    svg.replaceWith(placeholder);
    svg.setAttribute("width", String(naturalWidth(svg)));
    svg.classList.add("diagram-dialog__svg");
    area.append(svg);
    dialog.append(close, area);
    document.body.append(dialog);

    // Drag to pan.
    let drag = null;
    area.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, left: area.scrollLeft, top: area.scrollTop };
      area.setPointerCapture(event.pointerId);
      area.classList.add("diagram-dialog__area--dragging");
    });
    area.addEventListener("pointermove", (event) => {
      if (!drag) return;
      area.scrollLeft = drag.left - (event.clientX - drag.x);
      area.scrollTop = drag.top - (event.clientY - drag.y);
    });
    const endDrag = () => {
      drag = null;
      area.classList.remove("diagram-dialog__area--dragging");
    };
    area.addEventListener("pointerup", endDrag);
    area.addEventListener("pointercancel", endDrag);

    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      svg.classList.remove("diagram-dialog__svg");
      if (width === null) svg.removeAttribute("width");
      else svg.setAttribute("width", width);
      placeholder.replaceWith(svg);
      dialog.remove();
      figure.querySelector(".diagram-open")?.focus();
    });
    dialog.showModal();
    area.focus();
  }

  function offerFullSize() {
    for (const figure of document.querySelectorAll("div.mermaid")) {
      const svg = figure.querySelector(":scope > svg");
      if (!svg) continue;
      let button = figure.querySelector(":scope > .diagram-open");
      const shrunk = naturalWidth(svg) > svg.getBoundingClientRect().width + SLACK_PX;
      if (!button && shrunk) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "md-button diagram-open";
        button.textContent = "Open full size";
        const title = svg.querySelector("title")?.textContent?.trim();
        if (title) button.setAttribute("aria-label", `Open full size: ${title}`);
        button.addEventListener("click", () => openFullSize(figure, figure.querySelector(":scope > svg")));
        figure.append(button);
      }
      if (button) button.hidden = !shrunk;
    }
  }

  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(offerFullSize);
  });
  if (typeof document$ !== "undefined") document$.subscribe(offerFullSize);
  else offerFullSize();
})();
