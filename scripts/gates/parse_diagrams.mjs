// Parses Mermaid diagrams with the same library the site ships, without a browser.
// Input (stdin): JSON list of {id, source}. Output (stdout): JSON list of
// {id, ok, diagramType, error, line}, where line is 1-based within the source.
import { JSDOM } from "jsdom";

// Mermaid's sanitiser needs a DOM even just to parse.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;

const results = [];
for (const { id, source } of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(source);
    results.push({ id, ok: true, diagramType: parsed.diagramType, error: null, line: null });
  } catch (error) {
    const line = error?.hash?.loc?.first_line ?? null;
    results.push({ id, ok: false, diagramType: null, error: String(error?.message ?? error), line });
  }
}
process.stdout.write(JSON.stringify(results));
