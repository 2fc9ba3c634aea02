// The import graph: no cycles (type-only and dynamic imports counted), and each layer
// imports only the layers below it (docs/ARCHITECTURE.md).
import { strict as assert } from "node:assert";
import { importCycles, importGraph, sourceFiles } from "../support/sourceTree";

const layerOf = (file: string) => file.split("/")[0];

describe("the import graph", () => {
  const graph = importGraph(sourceFiles());
  const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

  it("is read from every file of ours, imports included", () => {
    assert.ok(graph.size > 150, `${graph.size} files`);
    assert.ok(graph.get("providers/entry.ts")!.includes("core/kinds/index.ts"));
    assert.ok(graph.get("core/graph/declared.ts")!.includes("core/kinds/kind.ts"), "type-only imports count");
  });

  it("has no cycle", () => {
    assert.deepEqual(importCycles(graph), []);
  });

  it("finds a cycle when there is one (the checker itself works)", () => {
    const loop = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
      ["e.ts", ["e.ts"]],
    ]);
    assert.deepEqual(importCycles(loop), [["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  });

  it("keeps the core pure: it imports nothing of ours outside core/", () => {
    assert.deepEqual(edges.filter((e) => layerOf(e.from) === "core" && layerOf(e.to) !== "core"), []);
  });

  it("lets the transport import only core/shell.ts of the core, and nothing above it", () => {
    const bad = edges.filter(
      (e) => layerOf(e.from) === "transport" && layerOf(e.to) !== "transport" && e.to !== "core/shell.ts",
    );
    assert.deepEqual(bad, []);
  });

  it("keeps providers below the SDK and testing, and the SDK below testing", () => {
    const below: Record<string, string[]> = { providers: ["sdk", "testing", "bin"], sdk: ["testing", "bin"] };
    const bad = edges.filter((e) => below[layerOf(e.from)]?.includes(layerOf(e.to)));
    assert.deepEqual(bad, []);
  });
});
