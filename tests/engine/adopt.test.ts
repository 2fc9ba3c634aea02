// Taking over a lab built by hand, through the `pulumi` command: seed-by-hand.sh builds the
// seed lab (and what a Neutron agent leaves beside it) with no ovslab, then the program of
// tests/fixtures/adopt declares it with `adopt: true`. One host, one stack, steps in order.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { writesIn } from "../support/commands";
import { removeState, scratchState, writesSince } from "./support";
import { buildByHand, FIXTURE, flowStats, markedRows, markWrite, ROUTER, startPing } from "./adoptHost";

const OWNER = "adopted-lab/adopt";
/** The stack and its 11 resources: 2 bridges, the patch pair, 2 flow tables, the router, 5 VMs. */
const RESOURCES = 12;
// Every Bridge and Port row the program declares, marked once: 2 bridges, the patch pair,
// the router's 3 ports and the 5 VMs' ports.
const MARKED_ROWS = [
  "Bridge br-ex", "Bridge br-int",
  "Port bar", "Port foo", "Port int-br-ex", "Port jack", "Port jill", "Port phy-br-ex",
  "Port qg-0c4c9d04-f0", "Port qr-7d2a9c1e-5b", "Port qr-da3efe6d-a2", "Port upstream",
];

/** A copy of the fixture project (inside the checkout, so `ovslab` resolves), with its name changed if asked. */
function copyProject(state: StateDir, dir: string, name?: string): string {
  const target = path.join(state.dir, dir);
  fs.mkdirSync(target, { recursive: true });
  // Not its tsconfig.json: its relative paths are the fixture's; ts-node finds the checkout's.
  for (const file of ["Pulumi.yaml", "index.ts"]) {
    let text = fs.readFileSync(path.join(FIXTURE, file), "utf8");
    if (file === "Pulumi.yaml" && name) text = text.replace(/^name: .*$/m, `name: ${name}`);
    fs.writeFileSync(path.join(target, file), text);
  }
  return target;
}

/** Edits the program as a person would: each anchor must be there exactly once. */
function edit(project: string, changes: Array<[string, string]>): void {
  const file = path.join(project, "index.ts");
  let text = fs.readFileSync(file, "utf8");
  for (const [from, to] of changes) {
    assert.equal(text.split(from).length, 2, `one "${from}" in the program`);
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
}

describe("adopting a lab built by hand, through the pulumi CLI @host", function () {
  this.timeout(600_000);
  let lab: LabHost;
  let state: StateDir;
  let project: string;
  let stack: CliStack;
  let extras: string;

  /** What a Neutron agent left, as the host's own tools print it (no counters). */
  async function neutronExtras(): Promise<string> {
    const flows = (await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-int", "cookie=0x77/-1"]))
      .split("\n").filter((l) => l.includes("cookie=")).sort();
    const chains = (await lab.sh(["ip", "netns", "exec", ROUTER, "iptables-save"]))
      .split("\n").filter((l) => l.includes("neutron")).map((l) => l.replace(/\[\d+:\d+\]/, ""));
    return JSON.stringify({ flows, chains }, null, 1);
  }

  before(async () => {
    lab = await startLabHost();
    await buildByHand(lab, "--neutron-extras");
    extras = await neutronExtras();
    state = scratchState("adopt");
    project = copyProject(state, "adopted");
    stack = await CliStack.open({ state, projectDir: project, stackName: "adopt" });
    await stack.setConfig(hostConfig(lab.connection));
  });

  after(async () => {
    try {
      await stack?.destroy([], { allowFailure: true });
      for (const ns of [ROUTER, "vm-jack", "vm-jill", "vm-bar", "vm-foo", "vm-upstream"])
        await lab?.exec(["ip", "netns", "delete", ns]);
    } finally {
      await lab?.stop();
      removeState(state);
    }
  });

  it("takes the lab over in one up: only ownership marks written, no packet lost at 100 pps across br-ex, flow counters kept", async () => {
    // Traffic first, so the flows have counters worth keeping.
    const warm = await startPing(lab, "vm-jack", "172.24.4.1");
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await warm.stop()).lost.length, 0, "the hand-built lab works before adoption");
    await new Promise((r) => setTimeout(r, 1500)); // OVS pushes datapath counters to its flows every ~0.5 s
    const before = { ex: await flowStats(lab, "br-ex"), int: await flowStats(lab, "br-int") };
    await lab.resetCommandLog();

    const vlan1 = await startPing(lab, "vm-jack", "172.24.4.1"); // br-int VLAN 1 -> patch -> br-ex strip_vlan
    const floating = await startPing(lab, "vm-upstream", "172.24.4.10"); // br-ex -> DNAT in the qrouter -> br-int VLAN 2
    const started = Date.now();
    const run = await stack.up();
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    const pings = { vlan1: await vlan1.stop(), floating: await floating.stop() };
    const writes = writesIn(await lab.commandLog());

    assert.match(run.stdout, new RegExp(`${RESOURCES} created`), run.stdout);
    const other = writes.filter((w) => markWrite(w) === undefined);
    assert.deepEqual(other, [], "no write but the ownership marks");
    const kinds = writes.map((w) => markWrite(w)!).sort();
    // 6 lo marks, br-ex's 3 flows moved to our cookie, the router's NAT into our chains. br-int's
    // flows, declared under their own cookie 0x5eed, are not written at all. The OVSDB marks
    // come as up to 9 transactions (2 bridges, the pair, the router's ports, 5 VMs' ports):
    // writes issued while another runs are joined into one, so how many depends on timing;
    // what is marked does not: each row once.
    const count = (k: string) => kinds.filter((x) => x === k).length;
    assert.deepEqual(
      {
        lo: count("namespace mark"),
        cookies: count("flow cookies"),
        nat: count("nat chains"),
      },
      { lo: 6, cookies: 1, nat: 1 },
    );
    assert.ok(count("owner marks") >= 1 && count("owner marks") <= 9, `${count("owner marks")} OVSDB transactions`);
    assert.deepEqual(markedRows(writes), MARKED_ROWS);
    console.log(
      `      (${writes.length} logged writes, all marks; up took ${seconds.toFixed(1)} s; ` +
        `${pings.vlan1.answered} + ${pings.floating.answered} pings answered, ` +
        `${pings.vlan1.lost.length + pings.floating.lost.length} lost)`,
    );
    for (const [name, ping] of Object.entries(pings)) {
      assert.deepEqual(ping.lost, [], `${name}: requests lost during the up`);
      // Sent every 10 ms; a loaded 2-core machine answers fewer (about 60 a second seen), so
      // this only proves the ping ran throughout: any request lost inside it fails above.
      assert.ok(ping.answered >= 25 * seconds, `${name}: the ping covered the up (${ping.answered} in ${seconds} s)`);
    }

    await new Promise((r) => setTimeout(r, 1500));
    const after = { ex: await flowStats(lab, "br-ex"), int: await flowStats(lab, "br-int") };
    const strip = "table=0,priority=4,in_port=1,dl_vlan=1";
    for (const [bridge, flows] of Object.entries(before)) {
      for (const [flow, was] of flows) {
        // Only the declared flows: not OVS's own default flow on br-ex, nor the agent's 0x77 ones.
        if (flow === "table=0,priority=0" || was.cookie === "0x77") continue;
        const now = after[bridge as "ex" | "int"].get(flow);
        assert.ok(now, `${flow} on br-${bridge} is still there`);
        assert.ok(now.nPackets >= was.nPackets, `${flow}: n_packets ${was.nPackets} -> ${now.nPackets}`);
        assert.ok(Math.abs(now.createdMs - was.createdMs) < 1500, `${flow}: its duration went on (not reset)`);
        if (bridge === "int") assert.equal(now.cookie, "0x5eed", `${flow} keeps its cookie`);
        else assert.match(now.cookie, /^0x6f76[0-9a-f]{12}$/, `${flow} moved to the table's cookie`);
      }
    }
    // Every request of the VLAN 1 ping went through br-ex's strip_vlan flow, reset or not.
    assert.ok(after.ex.get(strip)!.nPackets >= before.ex.get(strip)!.nPackets + pings.vlan1.answered, "counted on");
    assert.equal(new Set([...after.ex.values()].filter((f) => f.cookie !== "0x0").map((f) => f.cookie)).size, 1);

    // The router's NAT now lives in our chains; the built-in chains hold only jumps.
    const nat = await lab.sh(["ip", "netns", "exec", ROUTER, "iptables-save", "-t", "nat"]);
    assert.match(nat, /-A ovslab-POSTROUTING -s 10\.0\.0\.0\/24 -o qg-0c4c9d04-f0 -j SNAT --to-source 172\.24\.4\.2/);
    assert.match(nat, /-A ovslab-PREROUTING -d 172\.24\.4\.10\/32 -j DNAT --to-destination 10\.0\.0\.5/);
    assert.doesNotMatch(nat, /-A (PREROUTING|OUTPUT|POSTROUTING) -[sd] /, "no hand copy left in a built-in chain");
    assert.equal(
      (await lab.sh(["ovs-vsctl", "br-get-external-id", "br-int", "ovslab-owner"])).trim(),
      `${OWNER}/Bridge/br-int`,
    );
    assert.equal(await neutronExtras(), extras, "the Neutron agent's flows and chains are as they were");
  });

  it("previews only `same` right after, and writes nothing; taking `adopt` out changes nothing either", async () => {
    await lab.resetCommandLog();
    const preview = JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout);
    assert.deepEqual(preview.changeSummary, { same: RESOURCES });
    assert.deepEqual(await writesSince(lab), []);
    edit(project, [["const adopt = true;", "const adopt = false;"]]);
    assert.deepEqual(JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout).changeSummary, {
      same: RESOURCES,
    });
  });

  it("applies a change to the program as usual: a tag, a flow, a floating IP", async () => {
    edit(project, [
      ['name: "foo", bridge: brInt.name, tag: 4', 'name: "foo", bridge: brInt.name, tag: 5'],
      [
        '{ priority: 2, match: "in_port=phy-br-ex", actions: "drop" },',
        '{ priority: 2, match: "in_port=phy-br-ex", actions: "drop" },\n    { priority: 9, match: "arp,arp_tpa=192.0.2.9", actions: "drop" },',
      ],
      [
        'floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5", interface: GATEWAY }],',
        'floatingIps: [\n    { floatingIp: "172.24.4.10", fixedIp: "10.0.0.5", interface: GATEWAY },\n' +
          '    { floatingIp: "172.24.4.11", fixedIp: "10.0.1.5", interface: GATEWAY },\n  ],',
      ],
    ]);
    const run = await stack.up();
    assert.match(run.stdout, /3 updated/, run.stdout);
    assert.equal((await lab.sh(["ovs-vsctl", "get", "Port", "foo", "tag"])).trim(), "5");
    assert.match(
      await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-ex"]),
      /priority=9,arp,arp_tpa=192\.0\.2\.9 actions=drop/,
    );
    const answered = await lab.exec([
      "ip",
      "netns",
      "exec",
      "vm-upstream",
      "ping",
      "-c",
      "2",
      "-W",
      "1",
      "172.24.4.11",
    ]);
    assert.equal(answered.code, 0, `the new floating IP reaches bar: ${answered.stdout}`);
    assert.deepEqual(JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout).changeSummary, {
      same: RESOURCES,
    });
    assert.equal(await neutronExtras(), extras);
  });

  it("sees a hand drift after adoption and repairs it", async () => {
    await lab.sh(["ovs-vsctl", "set", "Port", "jack", "tag=9"]);
    const preview = await stack.preview(["--diff"]);
    assert.equal(preview.stdout.match(/\(update\)/g)?.length, 1, preview.stdout);
    await stack.up();
    assert.equal((await lab.sh(["ovs-vsctl", "get", "Port", "jack", "tag"])).trim(), "1");
  });

  it("refuses to adopt the same host into a second stack, naming the owner, and writes nothing", async () => {
    const second = await CliStack.open({
      state,
      projectDir: copyProject(state, "second", "adopted-twice"),
      stackName: "twice",
    });
    await second.setConfig(hostConfig(lab.connection));
    await lab.resetCommandLog();
    const run = await second.up([], { allowFailure: true });
    assert.notEqual(run.code, 0);
    const refusal =
      "bridge br-(int|ex) already exists on the host and is not owned by adopted-twice/twice/Bridge/br-(int|ex) " +
      `\\(external_ids:ovslab-owner=${OWNER}/Bridge/br-(int|ex)\\)`;
    assert.match(run.stdout + run.stderr, new RegExp(refusal));
    assert.deepEqual(await writesSince(lab), []);
    await second.destroy([], { allowFailure: true });
  });

  it("destroys what it adopted and leaves the Neutron agent's flows and chains byte-identical", async () => {
    await stack.destroy();
    assert.equal(await neutronExtras(), extras);
    assert.equal(
      (await lab.sh(["ovs-vsctl", "br-get-external-id", "br-int", "ovslab-owner"])).trim(),
      "",
      "br-int is kept, unmarked, for the 0x77 flows",
    );
    assert.equal((await lab.exec(["ovs-vsctl", "br-exists", "br-ex"])).code, 2, "br-ex went");
    const namespaces = (await lab.sh(["ip", "netns", "list"])).split("\n").map((l) => l.split(" ")[0]).filter(Boolean);
    assert.deepEqual(namespaces, [ROUTER], "the VMs went; the router stays for the neutron chains");
    assert.doesNotMatch(await lab.sh(["ip", "netns", "exec", ROUTER, "iptables-save", "-t", "nat"]), /ovslab-/);
  });
});
