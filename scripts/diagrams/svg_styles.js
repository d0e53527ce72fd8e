// Runs in the renderer's page (see browser.py), before in_page.js: trims a
// drawing's <style> to the rules that style something in that drawing.
//
// Mermaid gives every SVG its whole stylesheet (about 13 KB: every diagram
// type's rules plus Material's themeCSS), each rule scoped to the SVG's id.
// Most rules match nothing in a given drawing. The browser's own CSS parser
// (the CSSOM) decides what each rule is and which elements it selects; the
// kept rules are copied in their source text, untouched, so the colours stay
// var(--md-*) references that follow the palette toggle, and a declaration
// only another browser understands is not lost.
//
// When in doubt a rule is kept: a rule that Chromium cannot parse, a selector
// it cannot test, an at-rule it does not know. Dropping a rule is the only
// change that could alter the drawing, so it needs proof that nothing matches.
(() => {
  // States a reader may put an element in (the drawing is in none of them while
  // it is drawn): `a:hover` is tested as `a`. Legacy one-colon pseudo-elements
  // too: `a:before` exists when `a` does.
  const STATE_PSEUDO_CLASSES = new Set([
    "hover", "focus", "focus-visible", "focus-within", "active", "visited", "link", "any-link",
    "target", "target-within", "checked", "indeterminate", "enabled", "disabled",
    "before", "after", "first-line", "first-letter",
  ]);
  // Stands in for a stripped pseudo-class: matches whatever the rest matches.
  const ANYTHING = ":is(*)";

  // CSS text split into its top-level statements (rules and at-rules), each its
  // exact source text. Follows CSS Syntax's tokenisation where it matters for
  // nesting: strings, escapes and comments cannot open or close a block.
  function topLevelStatements(css) {
    const statements = [];
    let start = 0;
    let depth = 0;
    let index = 0;
    while (index < css.length) {
      const char = css[index];
      if (char === "/" && css[index + 1] === "*") {
        const end = css.indexOf("*/", index + 2);
        index = end === -1 ? css.length : end + 2;
        continue;
      }
      if (char === '"' || char === "'") {
        index++;
        while (index < css.length && css[index] !== char && css[index] !== "\n") {
          index += css[index] === "\\" ? 2 : 1;
        }
        index++;
        continue;
      }
      if (char === "\\") {
        index += 2;
        continue;
      }
      if (char === "{") depth++;
      else if (char === "}") {
        depth = Math.max(0, depth - 1);
        if (depth === 0) {
          statements.push(css.slice(start, index + 1));
          start = index + 1;
        }
      } else if (char === ";" && depth === 0) {
        statements.push(css.slice(start, index + 1));
        start = index + 1;
      }
      index++;
    }
    if (css.slice(start).trim()) statements.push(css.slice(start));
    return statements;
  }

  // A selector list split at its top-level commas, each selector with the
  // state pseudo-classes at its top level replaced by ANYTHING. null when a
  // selector cannot be tested that way (a state pseudo-class inside :not() or
  // :is() would need the state itself).
  function testableSelectors(selectorText) {
    const selectors = [];
    let current = "";
    let parens = 0;
    let brackets = 0;
    let index = 0;
    while (index < selectorText.length) {
      const char = selectorText[index];
      if (char === "\\") {
        current += selectorText.slice(index, index + 2);
        index += 2;
        continue;
      }
      if (char === '"' || char === "'") {
        let end = index + 1;
        while (end < selectorText.length && selectorText[end] !== char) end += selectorText[end] === "\\" ? 2 : 1;
        current += selectorText.slice(index, end + 1);
        index = end + 1;
        continue;
      }
      if (char === "[") brackets++;
      else if (char === "]") brackets--;
      else if (char === "(") parens++;
      else if (char === ")") parens--;
      if (char === "," && parens === 0 && brackets === 0) {
        selectors.push(current);
        current = "";
        index++;
        continue;
      }
      if (char === ":" && brackets === 0) {
        const elementLike = selectorText[index + 1] === ":";
        let end = index + (elementLike ? 2 : 1);
        while (end < selectorText.length && /[\w-]/.test(selectorText[end])) end++;
        const name = selectorText.slice(index + (elementLike ? 2 : 1), end).toLowerCase();
        if (elementLike || STATE_PSEUDO_CLASSES.has(name)) {
          if (parens > 0) return null;
          if (elementLike && selectorText[end] === "(") return null; // ::part(), ::slotted()...
          current += ANYTHING;
          index = end;
          continue;
        }
      }
      current += char;
      index++;
    }
    selectors.push(current);
    return selectors;
  }

  function selects(svg, selector) {
    try {
      return svg.matches(selector) || svg.querySelector(selector) !== null;
    } catch {
      return null; // not a selector this browser can test: cannot prove it unused
    }
  }

  function styleRuleIsUsed(svg, rule) {
    if (rule.cssRules?.length) return true; // nested rules: not worth proving
    const selectors = testableSelectors(rule.selectorText);
    if (selectors === null) return true;
    return selectors.some((selector) => selects(svg, selector) !== false);
  }

  // Animation names a kept rule refers to; null if it cannot be told (a var()).
  function animationNames(rule) {
    const shorthand = rule.style.getPropertyValue("animation");
    const names = rule.style.getPropertyValue("animation-name");
    if (shorthand.includes("var(") || names.includes("var(")) return null;
    return names ? names.split(",").map((name) => name.trim()) : [];
  }

  // Does a grouping rule (@media, @supports...) hold a rule this drawing uses?
  function groupIsUsed(svg, group) {
    return [...group.cssRules].some((rule) =>
      rule instanceof CSSStyleRule ? styleRuleIsUsed(svg, rule) : rule.cssRules ? groupIsUsed(svg, rule) : true,
    );
  }

  // The source text of `css` with only what `svg` uses, and what was dropped.
  function trimmedCss(svg, css) {
    const statements = topLevelStatements(css).map((text) => {
      const sheet = new CSSStyleSheet();
      try {
        sheet.replaceSync(text);
      } catch {
        return { text, rule: null };
      }
      // One statement, one rule; else Chromium read it otherwise than this split (keep it).
      return { text, rule: sheet.cssRules.length === 1 ? sheet.cssRules[0] : null };
    });
    const keep = statements.map(({ rule }) => {
      if (rule instanceof CSSStyleRule) return styleRuleIsUsed(svg, rule);
      if (rule instanceof CSSKeyframesRule) return undefined; // decided below
      if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule) return groupIsUsed(svg, rule);
      return true;
    });
    let names = new Set();
    for (const [index, { rule }] of statements.entries()) {
      if (!keep[index] || !(rule instanceof CSSStyleRule)) continue;
      const used = animationNames(rule);
      if (used === null) {
        names = null;
        break;
      }
      used.forEach((name) => names.add(name));
    }
    for (const [index, { rule }] of statements.entries()) {
      if (keep[index] === undefined) keep[index] = names === null || names.has(rule.name);
    }
    return {
      css: statements.filter((_, index) => keep[index]).map(({ text }) => text).join(""),
      dropped: keep.filter((kept) => !kept).length,
    };
  }

  window.diagramStyles = {
    /** Trim each <style> of `svg` to the rules its elements use; returns the rules dropped. */
    trim(svg) {
      let dropped = 0;
      for (const style of svg.querySelectorAll("style")) {
        const result = trimmedCss(svg, style.textContent);
        style.textContent = result.css;
        dropped += result.dropped;
      }
      return dropped;
    },
    topLevelStatements,
    testableSelectors,
  };
})();
