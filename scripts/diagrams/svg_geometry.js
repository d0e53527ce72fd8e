// Runs in the renderer's page (see browser.py), before in_page.js: rounds the
// numbers of a drawing's outlines to a precision no screen can show.
//
// Mermaid writes coordinates as JavaScript prints doubles (83.875,
// 8.787604801869023), and rough.js, which draws some flowchart shapes, writes
// hundreds of them per shape: one stadium-shaped diagram was 294 KB, 266 KB of
// it path data. A drawing is shown at most at its natural size (one unit, one
// CSS pixel), so 1/100 of a unit is at most 0.04 device pixels even at 4x
// (a 2x screen zoomed to 200%).
//
// Only outlines are rounded: path data (`d`) and point lists (`points`), where
// nearly all the digits are. Positions of text (transforms, x and y, the
// viewBox that scales it all) keep every digit: Chromium places glyphs on a
// grid of fractions of a pixel, and a label moved by 0.003 px can land on the
// next step of it, which changes pixels though no eye could tell.
//
// Each attribute is read by its grammar (SVG 2's path data, a number list)
// and written back from the parsed values; a value that does not parse is left
// as it is.
(() => {
  const DECIMALS = 2;
  const SCALE = 10 ** DECIMALS;
  // Path commands and how many numbers each of their segments takes.
  const PATH_ARGUMENTS = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

  function round(value) {
    // Symmetric about zero, so a shape centred on 0 stays centred; never "-0".
    const rounded = (Math.sign(value) * Math.round(Math.abs(value) * SCALE)) / SCALE;
    return rounded === 0 ? 0 : rounded;
  }

  // A cursor over a string, reading the tokens of SVG's number grammar.
  class Scanner {
    constructor(text) {
      this.text = text;
      this.index = 0;
    }
    get done() {
      return this.index >= this.text.length;
    }
    peek() {
      return this.text[this.index];
    }
    skipSeparators() {
      // White space and at most one comma between numbers (SVG 2's comma-wsp).
      const before = this.index;
      let commas = 0;
      while (!this.done) {
        const char = this.peek();
        if (char === "," && commas === 0) commas++;
        else if (char !== " " && char !== "\t" && char !== "\n" && char !== "\r" && char !== "\f") break;
        this.index++;
      }
      return this.index > before;
    }
    isDigit(char) {
      return char !== undefined && char >= "0" && char <= "9";
    }
    // A number: sign? (digits ("." digits?)? | "." digits) exponent?; null if none here.
    number() {
      const start = this.index;
      let index = start;
      const text = this.text;
      if (text[index] === "+" || text[index] === "-") index++;
      let digits = 0;
      while (this.isDigit(text[index])) index++, digits++;
      if (text[index] === ".") {
        index++;
        while (this.isDigit(text[index])) index++, digits++;
      }
      if (digits === 0) return null;
      if (text[index] === "e" || text[index] === "E") {
        let exponent = index + 1;
        if (text[exponent] === "+" || text[exponent] === "-") exponent++;
        if (this.isDigit(text[exponent])) {
          while (this.isDigit(text[exponent])) exponent++;
          index = exponent;
        }
      }
      this.index = index;
      return Number(text.slice(start, index));
    }
    // An arc's large-arc or sweep flag: one character, "0" or "1" (they may touch: "a1 1 0 00 1 1").
    flag() {
      const char = this.peek();
      if (char !== "0" && char !== "1") return null;
      this.index++;
      return Number(char);
    }
  }

  // Numbers in path data, with the fewest separators its grammar allows: a
  // space, or none before a minus sign.
  function joinPathNumbers(numbers) {
    let text = "";
    for (const number of numbers) {
      const written = String(number);
      if (text && !written.startsWith("-")) text += " ";
      text += written;
    }
    return text;
  }

  // Path data -> [{command, values}] (implicit repeats kept in one entry); throws if malformed.
  function parsePath(d) {
    const scanner = new Scanner(d);
    const segments = [];
    scanner.skipSeparators();
    while (!scanner.done) {
      const command = scanner.peek();
      const count = PATH_ARGUMENTS[command.toLowerCase()];
      if (count === undefined) throw new SyntaxError(`unknown path command ${command}`);
      scanner.index++;
      const values = [];
      scanner.skipSeparators();
      if (count > 0) {
        do {
          for (let position = 0; position < count; position++) {
            const isFlag = command.toLowerCase() === "a" && (position === 3 || position === 4);
            const value = isFlag ? scanner.flag() : scanner.number();
            if (value === null) throw new SyntaxError(`bad number in ${command} at ${scanner.index}`);
            values.push(value);
            scanner.skipSeparators();
          }
        } while (!scanner.done && !(scanner.peek().toLowerCase() in PATH_ARGUMENTS));
      }
      segments.push({ command, values });
    }
    return segments;
  }

  // Rounds path data. Relative commands are rounded against where the rounded
  // path has got to, not the exact one, so errors never add up along a path:
  // every point stays within half a rounding step of where Mermaid put it.
  function roundPath(d) {
    const segments = parsePath(d);
    const exact = { x: 0, y: 0, startX: 0, startY: 0 };
    const drawn = { x: 0, y: 0, startX: 0, startY: 0 };
    const parts = [];
    for (const { command, values } of segments) {
      const lower = command.toLowerCase();
      const relative = command === lower;
      const count = PATH_ARGUMENTS[lower];
      const out = [];
      if (count === 0) {
        exact.x = exact.startX;
        exact.y = exact.startY;
        drawn.x = drawn.startX;
        drawn.y = drawn.startY;
      }
      for (let offset = 0; offset < values.length; offset += count) {
        const segment = values.slice(offset, offset + count);
        // Which values are x and y coordinates (others: radii, angle, flags).
        const axes =
          lower === "h" ? ["x"] : lower === "v" ? ["y"] : lower === "a" ? [null, null, null, null, null, "x", "y"]
            : segment.map((_, position) => (position % 2 === 0 ? "x" : "y"));
        const next = { x: exact.x, y: exact.y };
        const nextDrawn = { x: drawn.x, y: drawn.y };
        segment.forEach((value, position) => {
          const axis = axes[position];
          if (axis === null) {
            out.push(round(value));
            return;
          }
          const target = relative ? exact[axis] + value : value;
          const written = relative ? round(target - drawn[axis]) : round(target);
          out.push(written);
          // The segment's end point is its last x and last y.
          next[axis] = target;
          nextDrawn[axis] = relative ? drawn[axis] + written : written;
        });
        exact.x = next.x;
        exact.y = next.y;
        drawn.x = nextDrawn.x;
        drawn.y = nextDrawn.y;
        if (lower === "m" && offset === 0) {
          exact.startX = exact.x;
          exact.startY = exact.y;
          drawn.startX = drawn.x;
          drawn.startY = drawn.y;
        }
      }
      parts.push(command + joinPathNumbers(out));
    }
    return parts.join("");
  }

  // "a b c" or "a,b c,d": every number rounded; throws unless it is only numbers.
  function roundNumberList(value) {
    const scanner = new Scanner(value);
    const numbers = [];
    scanner.skipSeparators();
    while (!scanner.done) {
      const number = scanner.number();
      if (number === null) throw new SyntaxError(`not a number list: ${value}`);
      numbers.push(round(number));
      scanner.skipSeparators();
    }
    return numbers.join(" ");
  }

  function roundedValue(name, value) {
    if (name === "d") return roundPath(value);
    if (name === "points") return roundNumberList(value);
    return value;
  }

  window.diagramGeometry = {
    /** Round the outlines of `svg` and everything in it; returns how many attributes changed. */
    round(svg) {
      let changed = 0;
      for (const element of [svg, ...svg.querySelectorAll("*")]) {
        // SVG geometry only: the HTML of a label (inside <foreignObject>) has none.
        if (element.namespaceURI !== "http://www.w3.org/2000/svg") continue;
        for (const { name, value } of [...element.attributes]) {
          let rounded;
          try {
            rounded = roundedValue(name, value);
          } catch {
            continue; // not what its grammar allows: leave it to the browser as it was
          }
          if (rounded !== value) {
            element.setAttribute(name, rounded);
            changed++;
          }
        }
      }
      return changed;
    },
    parsePath,
    roundPath,
  };
})();
