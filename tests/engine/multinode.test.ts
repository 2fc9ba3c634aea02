// examples/openstack-multinode through the `pulumi` command against three throwaway lab
// hosts joined by a private underlay: a network node and two computes. One stack spans
// them; each `it` starts from where the previous one left the hosts.
import { strict as assert } from "node:assert";
import { MultiHostLab, startLabHosts } from "../../lab/multihost";
import { CliStack } from "../../engine/cliStack";
import { configureMultinode, MULTINODE_EXAMPLE, multinodeHostNames, runMultinodePings } from "../../engine/multinode";
import { StateDir } from "../../engine/stateDir";
import { broken, formatPingResults } from "../../lab/ping";
import { removeState, scratchState, snapshot, writesSince } from "./support";

const HOSTS = multinodeHostNames(2);
/** Tunnel port names: `vxlan-` + the peer's underlay address in hex. */
const TO = { network: "vxlan-0afa000b", "compute-1": "vxlan-0afa000c", "compute-2": "vxlan-0afa000d" };

describe("examples/openstack-multinode on three lab hosts through the pulumi CLI @host", function () {
  this.timeout(300_000);
  let lab: MultiHostLab;
  let state: StateDir;
  let stack: CliStack;
  const untouched: Record<string, Awaited<ReturnType<typeof snapshot>>> = {};
  const host = (name: string) => lab.hosts[name];
  const sh = (name: string, ...argv: string[]) => host(name).sh(argv);
  const list = async (name: string, ...argv: string[]) => (await sh(name, ...argv)).split("\n").filter(Boolean).sort();

  async function pingMatrixHolds(): Promise<void> {
    const results = await runMultinodePings(stack, lab);
    assert.deepEqual(broken(results), [], formatPingResults(results));
  }
  /** What br-tun looks like on a host, as people read it: its ports and its flows by name. */
  async function tunnelDump(name: string): Promise<{ ports: string[]; flows: string[] }> {
    const flows = (await sh(name, "ovs-ofctl", "--names", "--no-stats", "dump-flows", "br-tun"))
      .split("\n")
      .filter((l) => l.includes("actions="));
    return { ports: await list(name, "ovs-vsctl", "list-ports", "br-tun"), flows: flows.map((l) => l.trim()).sort() };
  }

  before(async () => {
    lab = await startLabHosts({ names: HOSTS });
    for (const name of HOSTS) untouched[name] = await snapshot(host(name));
    state = scratchState("multinode");
    stack = await CliStack.open({ state, projectDir: MULTINODE_EXAMPLE, stackName: "multinode" });
    await configureMultinode(stack, lab);
  });

  after(async () => {
    try {
      await stack?.destroy([], { allowFailure: true });
    } finally {
      await lab?.stop();
      removeState(state);
    }
  });

  it("builds every host from empty in one up, and the ping matrix holds across the tunnels", async () => {
    await stack.up();
    for (const name of HOSTS) {
      assert.deepEqual(
        await list(name, "ovs-vsctl", "list-br"),
        name === "network" ? ["br-ex", "br-int", "br-phy", "br-tun"] : ["br-int", "br-phy", "br-tun"],
      );
      const peers = HOSTS.filter((h) => h !== name).map((h) => TO[h as keyof typeof TO]);
      assert.deepEqual((await tunnelDump(name)).ports, ["patch-int", ...peers].sort());
      for (const h of HOSTS.filter((p) => p !== name)) {
        const port = TO[h as keyof typeof TO];
        assert.equal(
          (await sh(name, "ovs-vsctl", "get", "Interface", port, "options:remote_ip")).trim(),
          `"${lab.address(h)}"`,
        );
        assert.equal((await sh(name, "ovs-vsctl", "get", "Interface", port, "options:key")).trim(), "flow");
      }
    }
    assert.match(
      (await tunnelDump("compute-1")).flows.join("\n"),
      /table=4, priority=1,tun_id=0x64 actions=mod_vlan_vid:1,resubmit\(,10\)/,
    );
    await pingMatrixHolds();
  });

  it("previews only `same` right after: one SSH login per host and no write on any", async () => {
    const logins: Record<string, number> = {};
    for (const name of HOSTS) {
      await host(name).resetCommandLog();
      logins[name] = await host(name).sshLogins();
    }
    const preview = JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout);
    assert.deepEqual([...new Set(preview.steps.map((s: { op: string }) => s.op))], ["same"]);
    for (const name of HOSTS) {
      assert.deepEqual(await writesSince(host(name)), [], `no write on ${name}`);
      assert.equal((await host(name).sshLogins()) - logins[name], 1, `one SSH login on ${name}`);
    }
  });

  it("names hand drift on the tunnels in preview (remote_ip changed, a port deleted, a VLAN-to-VNI flow deleted), and up repairs it", async () => {
    await sh("compute-1", "ovs-vsctl", "set", "Interface", TO.network, "options:remote_ip=10.250.0.99");
    await sh("network", "ovs-ofctl", "del-flows", "br-tun", "table=4,tun_id=100");
    const preview = JSON.parse((await stack.preview(["--json"])).stdout);
    const updates = preview.steps
      .filter((s: { op: string }) => s.op !== "same")
      .map((s: { op: string; urn: string }) => `${s.op} ${s.urn.split("::").pop()}`);
    assert.deepEqual(updates.sort(), ["update mesh-compute-1-to-network", "update mesh-network-flows"]);
    await stack.up();
    // A deleted tunnel port: OVS also drops the flows that name it. Preview names the port; the
    // flow table that names it cannot be read by OVS's parse-flows until the port is back
    // (a refusal naming the port, from the flow model), and `up` recreates the port first.
    await sh("compute-2", "ovs-vsctl", "del-port", "br-tun", TO["compute-1"]);
    const portGone = await stack.preview(["--diff"], { allowFailure: true });
    assert.match(
      portGone.stdout,
      /~ pulumi-nodejs:dynamic\/ovslab:TunnelPort: \(update\)\s+\[id=br-tun:vxlan-0afa000c\]/,
      portGone.stdout,
    );
    if (portGone.code !== 0) assert.match(portGone.stdout + portGone.stderr, /vxlan-0afa000c: invalid or unknown port/);
    await stack.up();
    assert.equal(
      (await sh("compute-1", "ovs-vsctl", "get", "Interface", TO.network, "options:remote_ip")).trim(),
      '"10.250.0.11"',
    );
    assert.ok((await tunnelDump("compute-2")).ports.includes(TO["compute-1"]));
    assert.match((await tunnelDump("network")).flows.join("\n"), /tun_id=0x64 actions=mod_vlan_vid:1/);
    await pingMatrixHolds();
  });

  it("fails only the unreachable host's resources when its sshd is down, names that host, and converges on the next up", async function () {
    // Each of compute-2's resources dials it 10 times (about 11 s) in the preview and in the up.
    this.timeout(600_000);
    // Drift on every host; compute-2 cannot be reached.
    for (const name of HOSTS) await sh(name, "ovs-ofctl", "del-flows", "br-tun", "table=0,in_port=patch-int");
    await host("compute-2").stopSsh();
    try {
      // A preview cannot reach compute-2 either: it shows compute-2's resources as updates and warns, naming the host.
      const preview = await stack.preview();
      const port = host("compute-2").connection.port;
      assert.match(
        preview.stdout + preview.stderr,
        new RegExp(`ovslab: ssh root@127\\.0\\.0\\.1:${port}: connect ECONNREFUSED .*: its Bridge shows as an update`),
      );
      assert.match(preview.stdout, /~\s+pulumi-nodejs:dynamic\/ovslab:Bridge\s+compute-2-br-int\s+update/);
      const failed = await stack.up(["--continue-on-error"], { allowFailure: true });
      assert.notEqual(failed.code, 0);
      const output = failed.stdout + failed.stderr;
      assert.match(
        output,
        new RegExp(`ssh root@127\\.0\\.0\\.1:${host("compute-2").connection.port}: connect ECONNREFUSED`),
        "the error names the unreachable host",
      );
      // ` ~  pulumi-nodejs:dynamic/ovslab:Bridge compute-2-br-int **updating failed** error: ...`
      const erroredResources = [
        ...output.matchAll(/^\s*(?:[~+-]\s+)?pulumi-nodejs:dynamic\/ovslab:\w+ (\S+) \*\*(?:\w+ )?failed\*\*/gm),
      ].map((m) => m[1]);
      assert.ok(erroredResources.length > 0, output);
      assert.deepEqual(
        erroredResources.filter((r) => !/^(mesh-)?compute-2-/.test(r)),
        [],
        "no resource of another host errored",
      );
      // `--continue-on-error`: the other hosts' resources converge in this same up.
      for (const name of ["network", "compute-1"]) {
        assert.match(
          (await tunnelDump(name)).flows.join("\n"),
          /in_port="?patch-int"? actions=resubmit\(,2\)/,
          `repaired on ${name} while compute-2 was down`,
        );
      }
      assert.doesNotMatch(
        (await tunnelDump("compute-2")).flows.join("\n"),
        /in_port="?patch-int"?/,
        "compute-2 untouched",
      );
    } finally {
      await host("compute-2").startSsh();
    }
    await stack.up();
    for (const name of HOSTS)
      assert.match(
        (await tunnelDump(name)).flows.join("\n"),
        /in_port="?patch-int"? actions=resubmit\(,2\)/,
        `repaired on ${name}`,
      );
    await pingMatrixHolds();
  });

  it("removes compute-2 from the program: only its tunnel ends go on the hosts that stay", async () => {
    const before = { network: await tunnelDump("network"), "compute-1": await tunnelDump("compute-1") };
    const showBefore = { network: await snapshot(host("network")), "compute-1": await snapshot(host("compute-1")) };
    await stack.setConfig({ "openstack-multinode:computes": { value: "1" } });
    await stack.up();
    const gone = TO["compute-2"];
    for (const name of ["network", "compute-1"] as const) {
      const after = await tunnelDump(name);
      assert.deepEqual(after.ports, before[name].ports.filter((p) => p !== gone));
      // Each flow as it was, less the compute-2 tunnel: its classify rule, and its output in the flood rules.
      const expected = before[name].flows.flatMap((f) => {
        if (!f.includes(`"${gone}"`)) return [f];
        if (f.includes(`in_port="${gone}"`)) return []; // its classify rule
        if ((f.match(/output:"[^"]+"/g) ?? []).length === 1) return []; // a declared MAC of a VM on compute-2
        return [f.replace(`,output:"${gone}"`, "")]; // a flood rule, less compute-2
      }).sort();
      assert.deepEqual(after.flows, expected);
      const snap = await snapshot(host(name));
      assert.equal(snap.netns, showBefore[name].netns, `namespaces on ${name} unchanged`);
      for (const br of ["br-int", "br-phy", "br-ex"])
        assert.equal(snap.flows[br], showBefore[name].flows[br], `${br} flows on ${name} unchanged`);
    }
    assert.deepEqual(
      await snapshot(host("compute-2")),
      untouched["compute-2"],
      "compute-2 is back as it was before the lab",
    );
    await pingMatrixHolds();
  });

  it("destroys everything it made and leaves each host as it was before", async () => {
    await stack.destroy();
    for (const name of HOSTS) assert.deepEqual(await snapshot(host(name)), untouched[name], name);
  });
});
