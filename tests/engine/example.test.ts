// The seed example (examples/openstack-aio) driven through the `pulumi` command itself,
// with the thin language host, against a throwaway lab host. One host, one stack, the
// steps in order: each `it` starts from where the previous one left the host.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { PulumiRun } from "../../engine/run";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { HostSnapshot, removeState, scratchState, snapshot, writesSince } from "./support";

const EXAMPLE = path.join(repoRoot(), "examples", "openstack-aio");
const ACCESS_PORTS: Record<string, number> = { jack: 1, jill: 2, bar: 3, foo: 4 };

/** Reads one column of one row with ovs-vsctl itself, as JSON-ish text. */
async function column(lab: LabHost, table: string, record: string, col: string): Promise<string> {
  return (await lab.sh(["ovs-vsctl", "get", table, record, col])).trim();
}

describe("the seed example through the pulumi CLI @host", function () {
  this.timeout(180_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  let untouched: HostSnapshot;
  /** Everything Pulumi printed, for the secret check. */
  const printed: string[] = [];
  const seen = (run: PulumiRun) => (printed.push(run.stdout, run.stderr), run);

  before(async () => {
    lab = await startLabHost();
    // Someone else's bridge and flow (a Neutron agent, a person): we must never touch them.
    await lab.sh(["ovs-vsctl", "add-br", "br-foreign", "--", "set", "Bridge", "br-foreign", "datapath_type=netdev"]);
    await lab.sh(["ovs-ofctl", "add-flow", "br-foreign", "cookie=0x77,priority=5,arp,actions=drop"]);
    untouched = await snapshot(lab);
    state = scratchState("example");
    stack = await CliStack.open({ state, projectDir: EXAMPLE, stackName: "cli" });
    await stack.setConfig(hostConfig(lab.connection));
  });

  after(async () => {
    // Best effort: a failed step must not leave a lab behind.
    try {
      await stack?.destroy([], { allowFailure: true });
    } finally {
      await lab?.stop();
      removeState(state);
    }
  });

  it("creates from empty exactly the bridges and tagged ports the program declares", async () => {
    seen(await stack.up());
    const bridges = (await lab.sh(["ovs-vsctl", "list-br"])).split("\n").filter(Boolean).sort();
    assert.deepEqual(bridges, ["br-ex", "br-foreign", "br-int"]);
    assert.equal(await column(lab, "Bridge", "br-int", "fail_mode"), "secure");
    assert.equal(await column(lab, "Bridge", "br-int", "datapath_type"), "netdev");
    assert.equal(await column(lab, "Bridge", "br-ex", "datapath_type"), "netdev");
    const ports = (await lab.sh(["ovs-vsctl", "list-ports", "br-int"])).split("\n").filter(Boolean).sort();
    assert.deepEqual(ports, Object.keys(ACCESS_PORTS).sort());
    for (const [port, tag] of Object.entries(ACCESS_PORTS)) {
      assert.equal(await column(lab, "Port", port, "tag"), String(tag), `tag of ${port}`);
      assert.equal(await column(lab, "Interface", port, "type"), "internal", `type of ${port}`);
    }
    assert.equal((await lab.sh(["ovs-vsctl", "list-ports", "br-ex"])).trim(), "");
    const outputs = await stack.outputs();
    assert.deepEqual(outputs.bridges, ["br-int", "br-ex"]);
    assert.deepEqual((outputs.integrationBridge as any).accessPorts, ACCESS_PORTS);
  });

  it("previews only `same` right after, over one SSH login and without a write command", async () => {
    await lab.resetCommandLog();
    const logins = await lab.sshLogins();
    const preview = JSON.parse(seen(await stack.preview(["--json", "--show-sames"])).stdout);
    assert.deepEqual(preview.changeSummary, { same: 3 }); // the stack and two bridges
    assert.deepEqual([...new Set(preview.steps.map((s: { op: string }) => s.op))], ["same"]);
    assert.deepEqual(await writesSince(lab), []);
    assert.equal((await lab.sshLogins()) - logins, 1);
  });

  it("shows a tag changed by hand in `preview --diff` after refresh, and `up` puts it back", async () => {
    await lab.sh(["ovs-vsctl", "set", "Port", "foo", "tag=9"]);
    seen(await stack.refresh());
    const preview = seen(await stack.preview(["--diff"]));
    // Exactly one update, of br-int, naming the port's tag with the live and desired values.
    assert.equal(preview.stdout.match(/\(update\)/g)?.length, 1, preview.stdout);
    assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/ovslab:Bridge: \(update\)\s+\[id=br-int\]/, preview.stdout);
    assert.match(preview.stdout, /name\s*: "foo"\s+~ tag\s*: 9 => 4/, preview.stdout);
    seen(await stack.up());
    assert.equal(await column(lab, "Port", "foo", "tag"), "4");
  });

  it("keeps the private key out of everything Pulumi printed and of the state file, which holds no path of this checkout", async () => {
    const keyLines = lab.connection.privateKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    for (const text of printed) {
      assert.ok(!text.includes("PRIVATE KEY") && keyLines.every((l) => !text.includes(l)), "the key in Pulumi's output");
    }
    assert.match(printed.join("\n"), /\[secret\]/);
    const file = path.join(state.backendDir, ".pulumi", "stacks", stack.project, `${stack.stackName}.json`);
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.includes("ovslab/provider"), "the serialized provider requires our package by name");
    assert.ok(!text.includes("PRIVATE KEY"), "no PEM header");
    for (const line of keyLines) assert.ok(!text.includes(line), "no line of the private key");
    assert.ok(!text.includes(repoRoot()), `no absolute path of the checkout (${repoRoot()})`);
    const deployment = JSON.parse(text).checkpoint.latest;
    const bridges = deployment.resources.filter((r: any) => r.type.endsWith(":Bridge"));
    assert.equal(bridges.length, 2);
    for (const r of bridges) {
      assert.ok(r.inputs.__provider.length < 4096, `serialized provider is ${r.inputs.__provider.length} bytes`);
      assert.ok(r.outputs.connection?.ciphertext, "connection is encrypted in outputs");
    }
  });

  it("destroys everything it made and leaves the host as it was before", async () => {
    await stack.destroy();
    assert.deepEqual(await snapshot(lab), untouched);
  });
});
