import { strict as assert } from "node:assert";
import { drawLab, renderSvg } from "../../render";
import { smallLab } from "../core/graph/fixture";

describe("drawing a lab offline", function () {
  this.timeout(60_000);

  it("renders DOT to SVG in-process with Graphviz compiled to WebAssembly", async () => {
    const svg = await renderSvg('digraph { a -> b }');
    assert.match(svg, /^<\?xml[^]*<svg [^]*<title>a&#45;&gt;b<\/title>/);
  });

  it("draws a lab as SVG, Mermaid or DOT", async () => {
    const svg = await drawLab(smallLab(), "svg", "t");
    assert.match(svg, /<svg /);
    assert.ok(svg.includes(">qrouter&#45;1<"), "the router's name is in the picture");
    assert.match(await drawLab(smallLab(), "mermaid"), /\nflowchart LR\n/);
    assert.match(await drawLab(smallLab(), "dot"), /^digraph "lab"/);
  });
});
