// Two stacks on one host through the real engine: stack A owns br-int, stack B only puts
// flows on it. B's flows wait for a bridge A is creating at that moment; neither touches
// the other's objects; A destroyed keeps br-int for B's flows, marked kept by A, and A
// brought up again takes it back; at the end nothing is left.
import { strict as assert } from "node:assert";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, FlowTable, hostConnection } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { removeState, scratchState } from "./support";

const A_OWNER = "ovslab-two-a/a/Bridge/br-int";

function programA() {
  return async () => {
    const connection = hostConnection();
    const brInt = new Bridge("br-int", { connection, failMode: "secure", datapathType: "netdev" });
    new FlowTable("a-flows", { connection, bridge: brInt.name, flows: [{ priority: 1, actions: "NORMAL" }] });
  };
}

/** B names the bridge by its name only: nothing in B's program waits for A. */
function programB() {
  return async () => {
    new FlowTable("b-flows", {
      connection: hostConnection(),
      bridge: "br-int",
      flows: [{ priority: 5, match: "arp", actions: "NORMAL" }],
    });
  };
}

describe("two stacks sharing a bridge, through the real engine @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let stateA: StateDir;
  let stateB: StateDir;
  let a: Stack;
  let b: Stack;
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
    b = await inlineStack({
      state: stateB,
      projectName: "ovslab-two-b",
      stackName: "b",
      program: programB(),
      config: hostConfig(lab.connection),
    });
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
    const upB = b.up();
    // Start A only once B has looked for br-int and not found it.
    for (
      let i = 0;
      i < 600 && !(await lab.commandLog()).some((c) => c[0] === "ovs-vsctl" && c.includes("name=br-int"));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(
      (await lab.exec(["ovs-vsctl", "br-exists", "br-int"])).code,
      2,
      "br-int is not there yet when B looks",
    );
    const upA = a.up();
    const [resultB, resultA] = await Promise.all([upB, upA]);
    assert.deepEqual(resultA.summary.resourceChanges, { create: 3 });
    assert.deepEqual(resultB.summary.resourceChanges, { create: 2 });
    const dump = await flows();
    assert.match(dump, /priority=5,arp actions=NORMAL/);
    assert.match(dump, /priority=1 actions=NORMAL/);
  });

  it("keeps each stack's preview clean: neither sees the other's flows as its own", async () => {
    assert.deepEqual((await a.preview()).changeSummary, { same: 3 });
    assert.deepEqual((await b.preview()).changeSummary, { same: 2 });
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
