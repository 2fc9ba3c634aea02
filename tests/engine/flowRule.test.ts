// FlowRule through the real engine (Automation API inline program, the provider in its
// own plugin process): the one kind the seed example does not use.
import { strict as assert } from "node:assert";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, FlowRule, hostConnection } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown, writesSince } from "./support";

/** br-ex and the seed article's strip_vlan rule, with `actions` to vary. */
function program(actions = "strip_vlan,NORMAL") {
  return async () => {
    const connection = hostConnection();
    const brEx = new Bridge("br-ex", {
      connection,
      datapathType: "netdev",
      ports: [{ name: "phy-br-ex", type: "internal" }],
    });
    const rule = new FlowRule("strip-vlan-1", {
      connection,
      bridge: brEx.name,
      priority: 4,
      match: "in_port=phy-br-ex,dl_vlan=1",
      actions,
    });
    return { cookie: rule.id };
  };
}

describe("FlowRule through the real engine @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: Stack;
  let cookie: string;
  const dump = () => lab.sh(["ovs-ofctl", "--names", "--no-stats", "dump-flows", "br-ex"]);
  const OURS = /priority=4,in_port="?phy-br-ex"?,dl_vlan=1 actions=strip_vlan,NORMAL/;

  before(async () => {
    lab = await startLabHost();
    state = scratchState("flowrule");
    stack = await inlineStack({
      state,
      projectName: "ovslab-flowrule",
      stackName: "flows",
      program: program(),
      config: hostConfig(lab.connection),
    });
  });

  after(() => tearDown(stack, lab, state));

  it("creates the rule under its own cookie beside a foreign flow it never touches", async () => {
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 3 });
    await lab.sh(["ovs-ofctl", "add-flow", "br-ex", "cookie=0x77,priority=9,arp,actions=drop"]);
    assert.match(await dump(), OURS);
    cookie = String(result.outputs.cookie.value).split("cookie=")[1];
    assert.match(await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-ex", `cookie=${cookie}/-1`]), /dl_vlan=1/);
  });

  it("previews only `same` right after, without a write command", async () => {
    await lab.resetCommandLog();
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 });
    assert.deepEqual(await writesSince(lab), []);
  });

  it("sees actions changed by hand after refresh, names them in the diff, and up restores them", async () => {
    // With our cookie named, mod-flows changes our rule's actions and keeps its cookie.
    await lab.sh(["ovs-ofctl", "mod-flows", "br-ex", `cookie=${cookie}/-1,actions=drop`]);
    await stack.refresh();
    const preview = await stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    assert.match(preview.stdout, /~ actions\s*: "drop" => "strip_vlan,NORMAL"/, preview.stdout);
    await stack.up();
    assert.match(await dump(), OURS);
  });

  it("refuses, naming the flow, when a hand edit took our cookie away (OpenFlow 1.0 mod-flows resets it to 0)", async () => {
    // That flow now belongs to whoever wrote it: we may not overwrite it, and say so.
    await lab.sh([
      "ovs-ofctl",
      "mod-flows",
      "--strict",
      "br-ex",
      "priority=4,in_port=phy-br-ex,dl_vlan=1,actions=drop",
    ]);
    await assert.rejects(
      stack.up({ refresh: true }),
      /already has a flow with table=0, priority=4 and match "in_port=phy-br-ex,dl_vlan=1" under cookie 0x0, which is not ours/,
    );
    await lab.sh(["ovs-ofctl", "del-flows", "--strict", "br-ex", "priority=4,in_port=phy-br-ex,dl_vlan=1"]);
    await stack.up();
    assert.match(await dump(), OURS);
  });

  it("puts back a rule deleted by hand", async () => {
    await lab.sh(["ovs-ofctl", "del-flows", "br-ex", "in_port=phy-br-ex"]);
    assert.doesNotMatch(await dump(), OURS);
    const result = await stack.up({ refresh: true });
    assert.ok(
      (result.summary.resourceChanges?.create ?? 0) + (result.summary.resourceChanges?.update ?? 0) === 1,
      JSON.stringify(result.summary.resourceChanges),
    );
    assert.match(await dump(), OURS);
  });

  it("changes its actions in place, and destroy keeps the bridge for the foreign flow on it", async () => {
    stack.workspace.program = program("pop_vlan,NORMAL");
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 2, update: 1 });
    assert.match(
      await dump(),
      /dl_vlan=1 actions=strip_vlan,NORMAL/,
      "OVS prints pop_vlan as strip_vlan in OpenFlow 1.0: same rule",
    );
    await stack.destroy();
    const left = await dump();
    assert.doesNotMatch(left, /dl_vlan=1/, "our rule is gone");
    assert.match(left, /cookie=0x77.*priority=9,arp actions=drop/, "their flow is still there, so is its bridge");
    assert.equal((await lab.sh(["ovs-vsctl", "list-ports", "br-ex"])).trim(), "", "our port went");
    assert.equal(
      (await lab.sh(["ovs-vsctl", "br-get-external-id", "br-ex", "ovslab-owner"])).trim(),
      "",
      "and our mark",
    );
  });
});
