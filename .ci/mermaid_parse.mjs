// Check Mermaid diagrams with the real Mermaid parser (the one browsers run),
// so a diagram the server hands out is known to render, not just to look right.
//
// Usage: node .ci/mermaid_parse.mjs [FILE...]   (no files: one diagram on stdin)
// Prints one JSON line per diagram: {"file": ..., "ok": true|false, "error": ...};
// a parsed state diagram also lists what Mermaid read, labels as a reader sees them
// ("states": {id: label}, "transitions": [[from, to, label]], "[*]" for the start),
// so a caller can check that no name was cut short or mangled, not only that it parsed.
// Exits 1 when any diagram is rejected, 2 when the parser cannot be loaded.
// All diagrams are parsed in one process: loading Mermaid costs far more than a parse.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const nodeDir = join(here, "node");
const requireFromNodeDir = createRequire(join(nodeDir, "package.json"));

// Mermaid expects a browser; jsdom supplies the window, document and DOMPurify's DOM.
async function loadMermaid() {
  const { JSDOM } = await import(requireFromNodeDir.resolve("jsdom"));
  const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  for (const name of ["Element", "HTMLElement", "Node", "DocumentFragment", "DOMParser", "SVGElement"]) {
    if (!(name in globalThis)) globalThis[name] = dom.window[name];
  }
  const mermaidPath = join(nodeDir, "node_modules", "mermaid", "dist", "mermaid.core.mjs");
  const { default: mermaid } = await import(mermaidPath);
  mermaid.initialize({ startOnLoad: false });
  return mermaid;
}

// Mermaid keeps entity codes (#35;) as placeholders until it renders; turn them into the characters shown.
function shown(label) {
  return String(label ?? "")
    .replace(/\uFB02\xB0\xB0(\d+)\xB6\xDF/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/\uFB02\xB0(\w+)\xB6\xDF/g, (_, name) => `&${name};`);
}

// The states and transitions of a parsed state diagram (other diagram types: none).
function contents(diagram) {
  if (!diagram.type.startsWith("state")) return {};
  const { nodes, edges } = diagram.db.getData();
  const id = (node) => (/_start$/.test(node) ? "[*]" : node);
  const states = Object.fromEntries(
    nodes.filter((node) => !/_start$/.test(node.id)).map((node) => [node.id, shown(node.label)]),
  );
  const transitions = edges.map((edge) => [id(edge.start), id(edge.end), shown(edge.label)]);
  return { states, transitions };
}

async function check(mermaid, file, text) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    return { file, ok: true, ...contents(diagram) };
  } catch (error) {
    return { file, ok: false, error: String(error?.message ?? error) };
  }
}

async function main() {
  let mermaid;
  try {
    mermaid = await loadMermaid();
  } catch (error) {
    console.error(`cannot load the Mermaid parser from ${nodeDir}: ${error?.message ?? error}`);
    process.exit(2);
  }
  const files = process.argv.slice(2);
  const inputs = files.length
    ? files.map((file) => [file, readFileSync(file, "utf8")])
    : [["-", readFileSync(0, "utf8")]];
  let failed = 0;
  for (const [file, text] of inputs) {
    const result = await check(mermaid, file, text);
    if (!result.ok) failed += 1;
    console.log(JSON.stringify(result));
  }
  process.exit(failed ? 1 : 0);
}

await main();
