// The registry, and the recipe of docs/ARCHITECTURE.md ("Adding a resource kind") followed
// for a toy kind, BridgeNote (tests/fixtures/kinds/toy/): one new file per layer and one
// entry in the registry make a kind the SDK, the provider entry, ovslab/testing and the
// graph all know; leaving a piece out, or getting one wrong, is a compile error.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KINDS, kindOf, kinds, KINDS_IN_ORDER } from "../../../core/kinds";
import { REPO, typecheck } from "../../support/typecheck";

const TOY = path.join(REPO, "tests", "fixtures", "kinds", "toy");
const REGISTRY = "core/kinds/index.ts";
const ROOTS = [
  "sdk/bridgeNote.ts",
  "sdk/bridge.ts",
  "providers/entry.ts",
  "testing/index.ts",
  "core/graph/declared.ts",
];

function filesUnder(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The toy's new files, by repository path. */
const toyFiles = (): Record<string, string> =>
  Object.fromEntries(filesUnder(TOY).map((f) => [f, fs.readFileSync(path.join(TOY, f), "utf8")]));

/** The registry with the toy's entry: its import and its line. */
function registryWithToy(line = "  bridgeNote: bridgeNoteKind,"): string {
  const text = fs.readFileSync(path.join(REPO, REGISTRY), "utf8");
  const withImport = text.replace(
    /^(import \{ routerNamespaceKind \} .*)$/m,
    `$1\nimport { bridgeNoteKind } from "./bridgeNote";`,
  );
  const withLine = withImport.replace(/^( {2}routerNamespace: routerNamespaceKind,)$/m, `$1\n${line}`);
  assert.equal(
    withLine.split("\n").length,
    text.split("\n").length + 2,
    "the registry's anchors moved: update this test",
  );
  return withLine;
}

/** `file` of the toy with `from` replaced by `to`. */
function edited(file: string, from: string, to: string): Record<string, string> {
  const files = toyFiles();
  assert.ok(files[file].includes(from), `${file} no longer holds ${JSON.stringify(from)}: update this test`);
  return { ...files, [file]: files[file].replace(from, to) };
}

describe("the kind registry", () => {
  it("holds every kind under its own key, in creation order bridges first and flows last", () => {
    for (const key of KINDS) assert.equal(kinds[key].key, key);
    assert.deepEqual(KINDS_IN_ORDER, ["bridge", "patchPair", "routerNamespace", "flowRule", "flowTable"]);
    assert.equal(kindOf("routerNamespace")?.title, "RouterNamespace", "the key old state calls the entry point with");
    assert.equal(kindOf("toString"), undefined, "an inherited property is no kind");
  });
});

describe("adding a resource kind by the recipe (a toy kind, BridgeNote)", function () {
  this.timeout(120_000);
  let out: string;
  let errors: string[];

  // Compiled once, with the toy and its registry entry, to JavaScript the tests below load.
  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-toy-"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(out, "node_modules"));
    errors = typecheck(ROOTS, { ...toyFiles(), [REGISTRY]: registryWithToy() }, out);
  });

  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("takes one new file per layer (schema, plan, kind, SDK) and one registry entry, and compiles", () => {
    assert.deepEqual(Object.keys(toyFiles()).sort(), [
      "core/kinds/bridgeNote.ts", "core/plan/bridgeNote.ts", "core/schema/bridgeNote.ts", "sdk/bridgeNote.ts",
    ]);
    assert.deepEqual(errors, []);
  });

  it("is then known to the provider entry, ovslab/testing (plan and order) and the graph", async () => {
    const load = (file: string) => require(path.join(out, file));
    const { call } = load("providers/entry.js");
    const props = { bridge: "br0", text: "hello", connection: { host: "192.0.2.1" }, owner: "p/s/BridgeNote/n" };
    assert.deepEqual((await call("bridgeNote", "check", {}, props)).inputs, props);
    const refused = await call("bridgeNote", "check", {}, { ...props, text: "x".repeat(201) });
    assert.match(refused.failures[0].reason, /^text: must be at most 200 characters/);

    const { loadLab } = load("testing/index.js");
    const { Bridge } = load("sdk/bridge.js");
    const { BridgeNote } = load("sdk/bridgeNote.js");
    const lab = await loadLab(() => {
      const connection = { host: "192.0.2.1" };
      new BridgeNote("note", { connection, bridge: "br0", text: "hello" });
      new Bridge("br0", { connection });
    });
    assert.deepEqual(
      lab.resources.map((r: { kind: string }) => r.kind),
      ["bridge", "bridgeNote"],
      "created after the bridge (order 1)",
    );
    assert.deepEqual(lab.resource("note").commands, ["ovs-vsctl set Bridge br0 external_ids:ovslab-note=hello"]);
    assert.deepEqual(lab.declared.bridgeNote, [{ bridge: "br0", text: "hello" }]);
  });

  it("refuses to compile without the registry entry: the SDK finds no kinds.bridgeNote", () => {
    const errors = typecheck(ROOTS, toyFiles());
    assert.ok(
      errors.some((e) => /^sdk\/bridgeNote\.ts: Property 'bridgeNote' does not exist/.test(e)),
      errors.join("\n"),
    );
  });

  it("refuses to compile a definition that lacks a piece (its planner)", () => {
    const errors = typecheck(ROOTS, {
      ...edited("core/kinds/bridgeNote.ts", "  plan: planBridgeNote,\n", ""),
      [REGISTRY]: registryWithToy(),
    });
    assert.ok(
      errors.some((e) => /^core\/kinds\/bridgeNote\.ts: Property 'plan' is missing/.test(e)),
      errors.join("\n"),
    );
  });

  it("refuses to compile an entry whose key is not the definition's (the key old state calls with)", () => {
    const errors = typecheck(ROOTS, { ...toyFiles(), [REGISTRY]: registryWithToy("  note: bridgeNoteKind,") });
    assert.ok(errors.some((e) => e.startsWith("core/kinds/index.ts: ") && /"note"/.test(e)), errors.join("\n"));
  });

  it("refuses to compile a schema field its documented args lack, naming the field", () => {
    const files = edited(
      "core/schema/bridgeNote.ts",
      "  /** The note, at most 200 characters: `external_ids:ovslab-note`. */\n  text: string;\n",
      "",
    );
    const errors = typecheck(ROOTS, { ...files, [REGISTRY]: registryWithToy() });
    assert.ok(
      errors.some(
        (e) => e.startsWith("core/kinds/bridgeNote.ts: ") && e.includes("text: in the schema, not documented"),
      ),
      errors.join("\n"),
    );
  });
});
