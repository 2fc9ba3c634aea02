// A create that fails halfway, through the real engine: the bridge is made, then OVS
// cannot open its port (a system device the host lacks). The resource must be in state (so destroy removes it and
// the next up converges it), with the private key still out of the state file.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, hostConnection } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown } from "./support";

/** br-half with one port: `system` names a device the host does not have, which OVS cannot open. */
function program(type: "system" | "internal") {
  return async () => {
    new Bridge("br-half", { connection: hostConnection(), datapathType: "netdev", ports: [{ name: "eth-nowhere", type }] });
  };
}

describe("a create that fails halfway, through the real engine @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: Stack;
  const bridges = async () => (await lab.sh(["ovs-vsctl", "list-br"])).split("\n").filter(Boolean).sort();

  before(async () => {
    lab = await startLabHost();
    state = scratchState("failed-create");
    stack = await inlineStack({ state, projectName: "ovslab-failed", stackName: "failed", program: program("system"), config: hostConfig(lab.connection) });
  });

  after(() => tearDown(stack, lab, state));

  it("fails naming what OVS reports, and records the half-made bridge in state without the private key", async () => {
    await assert.rejects(stack.up(), /Bridge br-half: applied, but the host reports: port eth-nowhere: /);
    assert.ok((await bridges()).includes("br-half"), "the bridge was made before the port failed");
    const exported = await stack.exportStack();
    const urns = (exported.deployment.resources ?? []).map((r: { urn: string }) => r.urn);
    assert.ok(urns.some((u: string) => u.endsWith("::br-half")), `br-half is in state: ${urns.join(", ")}`);
    // The state file on disk (the export would show secrets decrypted).
    const keyLines = lab.connection.privateKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    const files = fs.readdirSync(state.backendDir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = fs.readFileSync(path.join(state.backendDir, f), "utf8");
      assert.ok(!text.includes("PRIVATE KEY") && keyLines.every((l) => !text.includes(l)), `the private key in ${f}`);
    }
  });

  it("the next up, with the port fixed, converges it", async () => {
    stack.workspace.program = program("internal");
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 1, update: 1 }, "an update of the recorded bridge, not a create");
    assert.equal((await lab.sh(["ovs-vsctl", "get", "Interface", "eth-nowhere", "type"])).trim(), "internal");
  });

  it("a failed create followed by destroy leaves nothing behind", async () => {
    await stack.destroy();
    stack.workspace.program = program("system");
    await assert.rejects(stack.up());
    assert.deepEqual(await bridges(), ["br-half"]);
    await stack.destroy();
    assert.deepEqual(await bridges(), []);
  });
});
