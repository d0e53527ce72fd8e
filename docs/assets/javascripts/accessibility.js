// Accessible names and keyboard access that Material's markup leaves out,
// found by axe-core (tests/test_accessibility.py). Each block says which rule.
// With instant loading, a page switch replaces the content without running
// scripts again: per-page fixes run on Material's document$, once per page.
function onEveryPage(fix) {
  if (typeof document$ !== "undefined") document$.subscribe(fix);
  else fix();
}

// landmark-unique: Material lists a page's tags, and each search result's,
// in an unnamed <nav>; same-named navigation landmarks cannot be told apart.
onEveryPage(() => {
  for (const tags of document.querySelectorAll("article nav.md-tags:not([aria-label])")) {
    tags.setAttribute("aria-label", "Tags of this page");
  }
});
// The search results live in the header, which instant loading keeps.
const results = document.querySelector(".md-search-result__list");
if (results) {
  new MutationObserver(() => {
    const used = new Set();
    for (const tags of results.querySelectorAll("nav.md-tags")) {
      const title = tags.closest("article")?.querySelector("h1, h2")?.textContent?.trim() || "result";
      let label = `Tags of ${title}`;
      for (let n = 2; used.has(label); n++) label = `Tags of ${title} (${n})`;
      used.add(label);
      if (tags.getAttribute("aria-label") !== label) tags.setAttribute("aria-label", label);
    }
  }).observe(results, { childList: true, subtree: true });
}

// landmark-unique: with navigation.indexes, a section's link is its index
// page, and the <label> that names the section's <nav> (aria-labelledby) and
// expands it holds only an icon: every open section was an unnamed navigation
// landmark, and the toggle had no name. Put the section's title in the label,
// for assistive technology only (Material finds the <nav> by that attribute).
onEveryPage(() => {
  for (const section of document.querySelectorAll("nav.md-nav[aria-labelledby]")) {
    const label = document.getElementById(section.getAttribute("aria-labelledby"));
    const title = section.querySelector(":scope > .md-nav__title")?.textContent?.trim();
    if (label && !label.textContent.trim() && title) {
      const name = document.createElement("span");
      name.className = "an-visually-hidden";
      name.textContent = title;
      label.append(name);
    }
  }
});

// landmark-unique: the breadcrumbs (navigation.path) are a <nav> with the
// same name as the main navigation. Instant loading replaces them per page.
onEveryPage(() => {
  for (const path of document.querySelectorAll("nav.md-path")) {
    path.setAttribute("aria-label", "Breadcrumbs");
  }
});

// label: a task list's checkbox has no text of its own; its item's text is its name.
onEveryPage(() => {
  for (const box of document.querySelectorAll(".task-list-item > .task-list-control > input")) {
    const item = box.closest(".task-list-item").cloneNode(true);
    item.querySelectorAll("ul, ol").forEach((nested) => nested.remove());
    box.setAttribute("aria-label", item.textContent.trim());
  }
});

// scrollable-region-focusable: a wide table scrolls sideways inside its
// wrapper, which keyboard users can only scroll if it can take focus.
// Material adds the wrappers as it mounts the page: wait for it.
onEveryPage(() =>
  setTimeout(() => {
    for (const wrapper of document.querySelectorAll(".md-typeset__scrollwrap")) {
      wrapper.setAttribute("tabindex", "0");
    }
  }),
);
