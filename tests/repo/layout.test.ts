// The shape of the repository: tests mirror the source tree file for file, and no file is
// too long to read. Exceptions are listed with why; a listed one that is no longer needed
// fails too, so the lists stay true.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoFiles, sourceFiles } from "../support/sourceTree";
import { REPO } from "../support/typecheck";

/**
 * Layers whose files each have a test at the mirrored path: `core/plan/bridge.ts` -> `tests/core/plan/bridge.test.ts`.
 */
const LAYERS = ["core", "providers", "transport", "sdk", "testing", "lab", "engine", "render", "bin", "bench"];

/** Source files without a test of their own, and why. */
const UNTESTED: Record<string, string> = {
  "bench/engine.ts": "a benchmark: it measures (`npm run bench:engine`), it is not a behaviour",
  "bench/flows.ts": "a benchmark: it measures (`npm run bench:flows`), it is not a behaviour",
  "bench/multihost.ts": "a benchmark: it measures (`npm run bench:multihost`), it is not a behaviour",
  "bench/scale.ts": "a benchmark: it measures (`npm run bench:scale`), it is not a behaviour",
  "bench/scale/measure.ts": "part of `npm run bench:scale`",
  "bench/scale/programs.ts": "part of `npm run bench:scale`; its ovslab program runs in tests/engine/reads.test.ts",
  "bench/scale/shape.ts": "part of `npm run bench:scale`; its VM lab runs in tests/engine/reads.test.ts",
  "core/openflow/fields.ts":
    "name tables only, asserted through tests/core/openflow/match.test.ts and core/schema/flow.test.ts",
  "core/openflow/versions.ts":
    "tests/core/kinds/flowRead.test.ts, through the refusal of a flow that needs OpenFlow 1.0",
  "bench/transport.ts": "a benchmark: it measures (`npm run bench:transport`), it is not a behaviour",
  "bin/demo.ts": "`npm start`'s demo, a walk through the examples on a lab host",
  "core/kinds/kind.ts": "types only (and vlanOf, exercised by every kind's graph facts in tests/core/graph)",
  "core/schema/router/args.ts":
    "types only: the documented args, proven equal to the schema by core/kinds/routerNamespace.ts",
  "core/schema/router/fields.ts": "tests/core/schema/router/index.test.ts, through each field's messages",
  "core/schema/router/shape.ts": "tests/core/schema/router/index.test.ts, through the schema",
  "core/openflow/ports.ts": "tests/core/openflow/match.test.ts and actions.test.ts, through the port fields they parse",
  "core/openflow/subfields.ts": "tests/core/openflow/actions.test.ts, through load/move/set_field",
  "core/plan/errors.ts": "two error classes, asserted by every planner's refusal tests",
  "core/schema/common.ts": "the shared field rules, asserted through each kind's schema test",
  "core/live/ovsdb.ts": "tests/core/live/bridge.test.ts, through captured `ovs-vsctl --format=json` output",
  "core/compile/vsctl.ts":
    "tests/core/plan/bridge.test.ts and patchPair.test.ts assert the exact ovs-vsctl lines it builds",
  "engine/cliStack.ts": "tests/engine/*.test.ts drive the real engine through it",
  "engine/env.ts": "tests/engine/*.test.ts drive the real engine through it",
  "engine/hostConfig.ts": "tests/engine/*.test.ts drive the real engine through it",
  "engine/inlineStack.ts": "tests/engine/inline.test.ts and oldState.test.ts",
  "engine/run.ts": "tests/engine/*.test.ts drive the real engine through it",
  "lab/cleanup.ts": "tests/lab/host.test.ts: teardown leaves nothing behind",
  "lab/index.ts": "the package's `ovslab/lab` exports",
  "lab/init-script.ts": "tests/lab/host.test.ts: the VM it starts",
  "lab/keys.ts": "tests/lab/host.test.ts: SSH logins with the keys it makes",
  "lab/ping.ts": "tests/core/kinds/routerNamespace.test.ts and the examples' host tests: real packets",
  "lab/procs.ts": "tests/lab/host.test.ts: the processes it starts and stops by PID",
  "lab/relay.ts": "tests/lab/host.test.ts: every SSH login goes through it",
  "render/index.ts": "tests/render/svg.test.ts and the examples' tests draw through it",
  "sdk/connection.ts": "tests/engine/example.test.ts: the examples take their connection from stack config",
  "sdk/index.ts": "the package's exports",
  "sdk/vxlanMesh.ts":
    "tests/examples/openstack-multinode.test.ts under mocks and tests/engine/multinode.test.ts through the real engine",
  "testing/errors.ts": "tests/testing/load.test.ts asserts LabError's problems",
  "testing/index.ts": "the package's `ovslab/testing` exports",
  "testing/run.ts": "tests/testing/load.test.ts: every program runs through it",
  "transport/types.ts": "types and runChecked, used by every transport test",
};

/** Tests of no single source file, and why. */
const UNMIRRORED: Record<string, string> = {
  "tests/bin/plan.host.test.ts": "`ovslab plan`'s scripts (bin/ovslab.ts) run twice on a lab host",
  "tests/bin/adoptRoundTrip.test.ts": "`ovslab adopt` (bin/adopt.ts) of a host the seed example built, planned again",
  "tests/core/kinds/fuzz.test.ts":
    "every kind's schema and planner (core/kinds/index.ts) under 10,000 generated specs each",
  "tests/engine/example.test.ts": "the real Pulumi engine driving an example end to end",
  "tests/core/kinds/flowCorpus.test.ts": "FlowRule and FlowTable on a lab host against a corpus of real flows",
  "tests/core/kinds/flowPairs.test.ts": "FlowRule on a lab host against pairs of flows OVS holds as one or two",
  "tests/core/openflow/hostile.test.ts": "the whole OpenFlow text language against hostile input",
  "tests/engine/drift.test.ts": "the real Pulumi engine on the seed example: hand drift named in preview and repaired",
  "tests/engine/reads.test.ts": "the real Pulumi engine: a no-op preview's reads per host (providers/read.ts)",
  "tests/engine/foreign.test.ts": "the real Pulumi engine beside someone else's ports, flows, chains and namespaces",
  "tests/engine/failedCreate.test.ts": "the real Pulumi engine: a create that fails halfway is recorded",
  "tests/engine/flowRule.test.ts": "the real Pulumi engine driving FlowRule",
  "tests/engine/flowsFile.test.ts": "the real Pulumi engine driving a FlowTable whose rules are a file",
  "tests/engine/twoStacks.test.ts": "the real Pulumi engine: two stacks sharing a bridge",
  "tests/engine/datapath.test.ts": "the real Pulumi engine: the system datapath without its kernel module, then netdev",
  "tests/engine/import.test.ts": "the real Pulumi engine: `pulumi import` refused by scripts/engine-bin's plugin",
  "tests/engine/providerPlugin.test.ts": "scripts/engine-bin's dynamic-provider plugin: what it loads, its V8 flags",
  "tests/engine/tsconfig.test.ts": "a node16 TypeScript project through tsc, loadLab and the real Pulumi engine",
  "tests/engine/adopt.test.ts": "the real Pulumi engine taking over a lab built by hand (adopt: true)",
  "tests/engine/inline.test.ts": "the real Pulumi engine driving every kind",
  "tests/engine/oldState.test.ts": "state written by earlier versions, through the real engine",
  "tests/examples/multi-tenant.test.ts": "examples/multi-tenant/ (a program, not a module)",
  "tests/examples/openstack-multinode.test.ts": "examples/openstack-multinode/ (a program, not a module)",
  "tests/examples/openstack-aio.test.ts": "examples/openstack-aio/ (a program, not a module)",
  "tests/examples/vlan-trunk.test.ts": "examples/vlan-trunk/ (a program, not a module)",
  "tests/package/userProject.test.ts":
    "the package as a user installs it (package.json, bin/, scripts/engine-bin) in a project of their own",
  "tests/repo/imports.test.ts": "the import graph of the whole repository",
  "tests/repo/layout.test.ts": "the layout of the whole repository (this file)",
  "tests/support/commands.test.ts": "a helper of the tests, tested beside it",
  "tests/testing/exampleTests.test.ts": "each example's own `ovslab/testing` tests, run as a user would",
};

const exists = (file: string) => fs.existsSync(path.join(REPO, file));
const testsOf = (source: string) => [
  `tests/${source.replace(/\.ts$/, ".test.ts")}`,
  `tests/${source.replace(/\.ts$/, ".host.test.ts")}`,
];
const sourceOf = (test: string) => test.replace(/^tests\//, "").replace(/(\.host)?\.test\.ts$/, ".ts");

describe("the repository's layout", () => {
  const sources = repoFiles(...LAYERS).filter((f) => f.endsWith(".ts"));
  const tests = repoFiles("tests").filter((f) => f.endsWith(".test.ts"));

  it("has a test at the mirrored path for every source file, or says why not", () => {
    const untested = sources.filter((s) => !testsOf(s).some(exists));
    assert.deepEqual(
      untested,
      Object.keys(UNTESTED)
        .filter((s) => sources.includes(s))
        .sort(),
      "update UNTESTED: add a test or a reason",
    );
    assert.deepEqual(
      Object.keys(UNTESTED).filter((s) => !sources.includes(s)),
      [],
      "UNTESTED names files that are gone",
    );
  });

  it("has a source file for every test, or says what the test covers instead", () => {
    const unmirrored = tests.filter((t) => !exists(sourceOf(t)));
    assert.deepEqual(
      unmirrored,
      Object.keys(UNMIRRORED).sort(),
      "update UNMIRRORED: move the test to mirror its source, or say what it covers",
    );
  });

  it("keeps every file of ours under 400 lines", () => {
    const long = sourceFiles()
      .map((f) => ({ f, lines: fs.readFileSync(path.join(REPO, f), "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > 400)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    assert.deepEqual(long, []);
  });
});
