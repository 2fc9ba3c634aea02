// DOT -> SVG in this process, offline: Graphviz compiled to WebAssembly
// (@hpcc-js/wasm-graphviz, no native binary, no network). Loaded on first use only, so
// `ovslab plan` and ovslab/testing never pay for it.

interface Graphviz {
  dot(source: string, format?: "svg"): string;
}

let loading: Promise<Graphviz> | undefined;

async function graphviz(): Promise<Graphviz> {
  // An ES module; Node >= 22.12 `require`s it (the package needs Node 22 anyway).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loading ??= (require("@hpcc-js/wasm-graphviz") as { Graphviz: { load(): Promise<Graphviz> } }).Graphviz.load();
  return loading;
}

/** The SVG Graphviz's `dot` layout draws for `source`. */
export async function renderSvg(source: string): Promise<string> {
  return (await graphviz()).dot(source, "svg");
}
