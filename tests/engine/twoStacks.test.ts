// Two stacks on one host through the real engine: stack A owns br-int, stack B only puts
// flows on it. B's flows wait for a bridge A is creating at that moment; neither touches
// the other's objects; A destroyed keeps br-int for B's flows, marked kept by A, and A
// brought up again takes it back; at the end nothing is left. A is an inline program; B
// runs through the pulumi CLI in processes of its own, as a second user's deployment does
// (two inline programs running at once in one Node process once lost B's resource).
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, FlowTable, hostConnection } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { removeState, scratchState } from "./support";

const A_OWNER = "ovslab-two-a/a/Bridge/br-int";
/** B's program: a FlowTable on br-int, named by its name only, so nothing in it waits for A. */
const PROJECT_B = path.join(repoRoot(), "tests", "fixtures", "twoStacks");

function programA() {
  return async () => {
    const connection = hostConnection();
    const brInt = new Bridge("br-int", { connection, failMode: "secure", datapathType: "netdev" });
    new FlowTable("a-flows", { connection, bridge: brInt.name, flows: [{ priority: 1, actions: "NORMAL" }] });
  };
}

describe("two stacks sharing a bridge, through the real engine @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let stateA: StateDir;
  let stateB: StateDir;
  let a: Stack;
  let b: CliStack;
  const externalId = async (key: string) => (await lab.sh(["ovs-vsctl", "br-get-external-id", "br-int", key])).trim();
  const flows = () => lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-int"]);

  before(async () => {
    lab = await startLabHost();
    stateA = scratchState("two-a");
    stateB = scratchState("two-b");
    a = await inlineStack({
      state: stateA,
      projectName: "ovslab-two-a",
      stackName: "a",
      program: programA(),
      config: hostConfig(lab.connection),
    });
    b = await CliStack.open({ state: stateB, projectDir: PROJECT_B, stackName: "b" });
    await b.setConfig(hostConfig(lab.connection));
  });

  after(async () => {
    try {
      await b?.destroy().catch(() => undefined);
      await a?.destroy().catch(() => undefined);
    } finally {
      await lab?.stop();
      removeState(stateA);
      removeState(stateB);
    }
  });

  it("brings B's flows up on a bridge A creates at the same moment: B waits for it", async () => {
    await lab.resetCommandLog();
    const upB = b.up(); // a failure (PulumiError, with B's output) surfaces in Promise.all below
    upB.catch(() => undefined); // not an unhandled rejection while we wait
    // Start A only once B is waiting for br-int: B's first read is host-wide, and only its
    // reads again after finding no br-int ask for it by name.
    const bWaiting = async () =>
      (await lab.commandLog()).some((c) => c[0] === "ovs-vsctl" && c.includes("name=br-int"));
    for (let i = 0; i < 600 && !(await bWaiting()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await bWaiting(), "B was waiting for br-int within 60 s");
    assert.equal(
      (await lab.exec(["ovs-vsctl", "br-exists", "br-int"])).code,
      2,
      "br-int is not there yet when B looks",
    );
    const upA = a.up();
    const [resultB, resultA] = await Promise.all([upB, upA]);
    assert.deepEqual(resultA.summary.resourceChanges, { create: 3 });
    assert.match(resultB.stdout, /\b2 created\b/, resultB.stdout);
    const dump = await flows();
    assert.match(dump, /priority=5,arp actions=NORMAL/);
    assert.match(dump, /priority=1 actions=NORMAL/);
  });

  it("keeps each stack's preview clean: neither sees the other's flows as its own", async () => {
    assert.deepEqual((await a.preview()).changeSummary, { same: 3 });
    assert.match((await b.preview(["--expect-no-changes"])).stdout, /\b2 unchanged\b/);
  });

  it("destroying A keeps br-int for B's flows, unmarked but marked kept by A", async () => {
    await a.destroy();
    assert.equal(await externalId("ovslab-owner"), "");
    assert.equal(await externalId("ovslab-kept-by"), A_OWNER);
    assert.match(await flows(), /priority=5,arp actions=NORMAL/);
    assert.doesNotMatch(await flows(), /priority=1 actions=NORMAL/, "A's flows went");
  });

  it("A brought up again takes br-int back; B's flows stay", async () => {
    const result = await a.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 3 });
    assert.equal(await externalId("ovslab-owner"), A_OWNER);
    assert.equal(await externalId("ovslab-kept-by"), "");
    assert.match(await flows(), /priority=5,arp actions=NORMAL/);
  });

  it("B then A destroyed leave no bridge behind", async () => {
    await b.destroy();
    await a.destroy();
    assert.equal((await lab.sh(["ovs-vsctl", "list-br"])).trim(), "");
  });
});
