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
import { broken, formatPingResults, PingRow, runPingMatrix } from "../../lab/ping";

const EXAMPLE = path.join(repoRoot(), "examples", "openstack-aio");
/** Every port the example puts on br-int, with its access tag (none: the patch trunk). */
const INT_PORTS: Record<string, number | undefined> = {
  "int-br-ex": undefined, jack: 1, jill: 2, bar: 3, foo: 4, "qr-da3efe6d-a2": 2, "qr-7d2a9c1e-5b": 3,
};
const EX_PORTS = ["phy-br-ex", "qg-0c4c9d04-f0", "upstream"];
const ROUTER = "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7";

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

  it("creates from empty exactly what the program declares: bridges, ports, flows, namespaces, NAT", async () => {
    seen(await stack.up());
    const list = async (...argv: string[]) => (await lab.sh(argv)).split("\n").filter(Boolean).sort();
    assert.deepEqual(await list("ovs-vsctl", "list-br"), ["br-ex", "br-foreign", "br-int"]);
    assert.equal(await column(lab, "Bridge", "br-int", "fail_mode"), "secure");
    for (const br of ["br-int", "br-ex"]) assert.equal(await column(lab, "Bridge", br, "datapath_type"), "netdev");
    assert.deepEqual(await list("ovs-vsctl", "list-ports", "br-int"), Object.keys(INT_PORTS).sort());
    for (const [port, tag] of Object.entries(INT_PORTS)) {
      assert.equal(await column(lab, "Port", port, "tag"), tag === undefined ? "[]" : String(tag), `tag of ${port}`);
    }
    assert.deepEqual(await list("ovs-vsctl", "list-ports", "br-ex"), [...EX_PORTS].sort());
    assert.equal(await column(lab, "Interface", "int-br-ex", "options:peer"), "phy-br-ex");
    // The article's three br-ex flows, as OVS itself prints them (OpenFlow 1.0, names).
    const exFlows = await lab.sh(["ovs-ofctl", "--names", "--no-stats", "dump-flows", "br-ex"]);
    assert.match(exFlows, /priority=4,in_port="?phy-br-ex"?,dl_vlan=1 actions=strip_vlan,NORMAL/);
    assert.match(exFlows, /priority=2,in_port="?phy-br-ex"? actions=drop/);
    assert.match(exFlows, /priority=1 actions=NORMAL/);
    assert.deepEqual(await list("ip", "netns", "list").then((l) => l.map((n) => n.split(" ")[0])),
      [ROUTER, "vm-bar", "vm-foo", "vm-jack", "vm-jill", "vm-upstream"].sort());
    const route = await lab.sh(["ip", "netns", "exec", ROUTER, "ip", "route", "show", "default"]);
    assert.match(route, /default via 172\.24\.4\.1 dev qg-0c4c9d04-f0/);
    const nat = await lab.sh(["ip", "netns", "exec", ROUTER, "iptables-save", "-t", "nat"]);
    assert.match(nat, /-d 172\.24\.4\.10\/32 .*-j DNAT --to-destination 10\.0\.0\.5/);
    assert.match(nat, /-s 10\.0\.1\.0\/24 .*-j SNAT --to-source 172\.24\.4\.2/);
    // And it works: the example's own ping matrix, with real packets.
    const outputs = await stack.outputs();
    const results = await runPingMatrix(outputs.pingMatrix as PingRow[], async (argv) => (await lab.exec(argv)).code);
    assert.deepEqual(broken(results), [], formatPingResults(results));
    assert.deepEqual(outputs.bridges, ["br-int", "br-ex"]);
  });

  it("previews only `same` right after, over one SSH login and without a write command", async () => {
    await lab.resetCommandLog();
    const logins = await lab.sshLogins();
    const preview = JSON.parse(seen(await stack.preview(["--json", "--show-sames"])).stdout);
    assert.deepEqual(preview.changeSummary, { same: 12 }); // the stack and its 11 resources
    // The project refreshes first (`options: refresh: always`): read-only steps, then all `same`.
    assert.deepEqual(
      [...new Set(preview.steps.map((s: { op: string }) => s.op).filter((op: string) => op !== "refresh"))],
      ["same"],
    );
    assert.deepEqual(await writesSince(lab), []);
    assert.equal((await lab.sshLogins()) - logins, 1);
  });

  it("shows a tag changed by hand in `preview --diff` after refresh, and `up` puts it back", async () => {
    await lab.sh(["ovs-vsctl", "set", "Port", "foo", "tag=9"]);
    seen(await stack.refresh());
    const preview = seen(await stack.preview(["--diff"]));
    // Exactly one update, of the VM that owns port foo, naming the tag with the live and desired values.
    assert.equal(preview.stdout.match(/\(update\)/g)?.length, 1, preview.stdout);
    assert.match(
      preview.stdout,
      /~ pulumi-nodejs:dynamic\/ovslab:RouterNamespace: \(update\)\s+\[id=vm-foo\]/,
      preview.stdout,
    );
    assert.match(preview.stdout, /name\s*: "foo"\s+~ tag\s*: 9 => 4/, preview.stdout);
    seen(await stack.up());
    assert.equal(await column(lab, "Port", "foo", "tag"), "4");
  });

  it("keeps the private key out of everything Pulumi printed and of the state file, which holds no path of this checkout", async () => {
    const keyLines = lab.connection.privateKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
    for (const text of printed) {
      assert.ok(
        !text.includes("PRIVATE KEY") && keyLines.every((l) => !text.includes(l)),
        "the key in Pulumi's output",
      );
    }
    assert.match(printed.join("\n"), /\[secret\]/);
    const file = path.join(state.backendDir, ".pulumi", "stacks", stack.project, `${stack.stackName}.json`);
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.includes("ovslab/provider"), "the serialized provider requires our package by name");
    assert.ok(!text.includes("PRIVATE KEY"), "no PEM header");
    for (const line of keyLines) assert.ok(!text.includes(line), "no line of the private key");
    assert.ok(!text.includes(repoRoot()), `no absolute path of the checkout (${repoRoot()})`);
    const deployment = JSON.parse(text).checkpoint.latest;
    const ours = deployment.resources.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/ovslab:"));
    assert.equal(ours.length, 11);
    for (const r of ours) {
      assert.ok(r.inputs.__provider.length < 400, `the provider text is ${r.inputs.__provider.length} bytes`);
      assert.ok(r.outputs.connection?.ciphertext, "connection is encrypted in outputs");
    }
  });

  it("destroys everything it made and leaves the host as it was before", async () => {
    await stack.destroy();
    assert.deepEqual(await snapshot(lab), untouched);
  });
});
