// A create that fails halfway, through the real engine: the bridge is made, then OVS
// cannot open its port (a system device the host lacks). The resource must be in state (so destroy removes it and
// the next up converges it), with the private key still out of the state file.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, hostConnection, RouterNamespace } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown } from "./support";

/** br-half with one port: `system` names a device the host does not have, which OVS cannot open. */
function program(type: "system" | "internal") {
  return async () => {
    new Bridge("br-half", {
      connection: hostConnection(),
      datapathType: "netdev",
      ports: [{ name: "eth-nowhere", type }],
    });
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
    stack = await inlineStack({
      state,
      projectName: "ovslab-failed",
      stackName: "failed",
      program: program("system"),
      config: hostConfig(lab.connection),
    });
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
    assert.deepEqual(
      result.summary.resourceChanges,
      { same: 1, update: 1 },
      "an update of the recorded bridge, not a create",
    );
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

/**
 * A namespace whose sysctl write fails: `net.ipv4.conf.nowhere.forwarding` passes the
 * spec's rules (a net.* key) but names a device the namespace lacks, so `sysctl -w` fails
 * after the namespace, its owner mark and its OVS port were made.
 */
function routerProgram(device: string) {
  return async () => {
    const connection = hostConnection();
    const bridge = new Bridge("br-sys", { connection, datapathType: "netdev" });
    new RouterNamespace("ns-half", {
      connection,
      name: "ns-half",
      interfaces: [{ name: "half0", bridge: bridge.name, addresses: ["10.9.0.1/24"] }],
      sysctls: { [`net.ipv4.conf.${device}.forwarding`]: "1" },
    });
  };
}

describe("a namespace whose sysctl write fails, through the real engine @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: Stack;
  const namespaces = async () =>
    (await lab.sh(["ip", "netns", "list"]))
      .split("\n")
      .map((l) => l.split(" ")[0])
      .filter(Boolean);
  const ports = async () => (await lab.sh(["ovs-vsctl", "list-ports", "br-sys"])).split("\n").filter(Boolean);

  before(async () => {
    lab = await startLabHost();
    state = scratchState("failed-sysctl");
    stack = await inlineStack({
      state,
      projectName: "ovslab-failed",
      stackName: "sysctl",
      program: routerProgram("nowhere"),
      config: hostConfig(lab.connection),
    });
  });

  after(() => tearDown(stack, lab, state));

  it("fails naming the sysctl key and records the half-made namespace in state", async () => {
    await assert.rejects(stack.up(), /net\.ipv4\.conf\.nowhere\.forwarding/);
    assert.ok((await namespaces()).includes("ns-half"), "the namespace was made before the sysctl failed");
    assert.deepEqual(await ports(), ["half0"]);
    const urns = ((await stack.exportStack()).deployment.resources ?? []).map((r: { urn: string }) => r.urn);
    assert.ok(urns.some((u: string) => u.endsWith("::ns-half")), `ns-half is in state: ${urns.join(", ")}`);
  });

  it("the next up, with the key fixed, updates the recorded namespace", async () => {
    stack.workspace.program = routerProgram("half0");
    const result = await stack.up();
    assert.deepEqual(
      result.summary.resourceChanges,
      { same: 2, update: 1 },
      "an update of the recorded namespace, not a create",
    );
    const value = await lab.sh(["ip", "netns", "exec", "ns-half", "sysctl", "-n", "net.ipv4.conf.half0.forwarding"]);
    assert.equal(value.trim(), "1");
  });

  it("a failed create followed by destroy leaves no namespace and no port behind", async () => {
    await stack.destroy();
    stack.workspace.program = routerProgram("nowhere");
    await assert.rejects(stack.up(), /net\.ipv4\.conf\.nowhere\.forwarding/);
    assert.ok((await namespaces()).includes("ns-half"), `the namespace was made: ${await namespaces()}`);
    await stack.destroy();
    assert.ok(!(await namespaces()).includes("ns-half"), "ns-half is gone");
    assert.deepEqual((await lab.sh(["ovs-vsctl", "list-br"])).trim(), "");
  });
});
