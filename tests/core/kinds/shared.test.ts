// The host-wide reads that resources share give each resource exactly what its own scoped
// read gives: proven on a real lab host, for every kind, with other owners' things around.
// Every namespace read as parts side by side (readRoutersInParts): their outputs,
// concatenated, split into the same sections as one serial read; parts that saw different
// namespaces (one made or deleted meanwhile) make the read incomplete, and no resource
// takes its namespace from it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { runReading, shareReads } from "../../../providers/read";
import { closeAll, transportFor } from "../../../transport/pool";
import { kinds } from "../../../core/kinds";
import { KindDefinition } from "../../../core/kinds/kind";
import { NAMESPACE, SEEN } from "../../../core/compile/router";
import { readNamespace, splitNamespaces } from "../../../core/kinds/shared";

describe("shared host-wide reads equal each resource's scoped read @host", function () {
  this.timeout(180_000);
  let lab: LabHost;
  let sharingBefore: boolean;
  const props = (spec: Record<string, unknown>, owner: string) => ({ ...spec, connection: lab.connection, owner });
  const resources: Array<[KindDefinition<any, any>, Record<string, unknown>, string]> = [];

  before(async () => {
    sharingBefore = shareReads(false);
    lab = await startLabHost();
    const add = async (key: keyof typeof kinds, spec: Record<string, unknown>, owner: string) => {
      const inputs = (await call(key, "check", {}, props(spec, owner))).inputs;
      await call(key, "create", inputs);
      resources.push([kinds[key] as KindDefinition<any, any>, inputs, owner]);
    };
    await add(
      "bridge",
      { name: "br-int", datapathType: "netdev", ports: [{ name: "p1", type: "internal", tag: 3 }] },
      "p/s/Bridge/br-int",
    );
    await add(
      "bridge",
      { name: "br-ex", datapathType: "netdev", ports: [{ name: "x1", type: "internal" }] },
      "p/s/Bridge/br-ex",
    );
    await add(
      "patchPair",
      { a: { bridge: "br-int", port: "i-ex" }, b: { bridge: "br-ex", port: "ex-i" } },
      "p/s/PatchPair/pp",
    );
    await add(
      "flowTable",
      {
        bridge: "br-int",
        flows: [
          { priority: 5, actions: "NORMAL" },
          { table: 1, actions: "drop" },
        ],
      },
      "p/s/FlowTable/a",
    );
    await add(
      "flowTable",
      { bridge: "br-int", flows: [{ priority: 7, match: "dl_vlan=3", actions: "drop" }] },
      "p/s/FlowTable/b",
    );
    await add("flowRule", { bridge: "br-ex", priority: 9, actions: "NORMAL" }, "p/s/FlowRule/c");
    await add(
      "routerNamespace",
      { name: "qr-a", interfaces: [{ name: "qr-a1", bridge: "br-int", tag: 3, addresses: ["10.0.0.1/24"] }] },
      "p/s/RouterNamespace/a",
    );
    await add(
      "routerNamespace",
      {
        name: "vm-b",
        interfaces: [{ name: "tap-b", bridge: "br-ex", addresses: ["10.1.0.2/24"] }],
        routes: [{ destination: "default", via: "10.1.0.1" }],
      },
      "p/s/RouterNamespace/b",
    );
    // Someone else's: a bridge, a port, a flow of another cookie, a namespace.
    await lab.sh([
      "ovs-vsctl",
      "add-br",
      "br-other",
      "--",
      "set",
      "Bridge",
      "br-other",
      "datapath_type=netdev",
      "--",
      "add-port",
      "br-int",
      "theirs",
      "--",
      "set",
      "Interface",
      "theirs",
      "type=internal",
    ]);
    await lab.sh(["ovs-ofctl", "add-flow", "br-int", "cookie=0x99,priority=7,dl_vlan=4,actions=drop"]);
    await lab.sh(["ip", "netns", "add", "someone-else"]);
  });

  after(async () => {
    shareReads(sharingBefore);
    await closeAll();
    await lab?.stop();
  });

  it("for bridges, patch pairs, flow tables and rules, and router namespaces, present and absent", async () => {
    const host = transportFor(lab.connection as never);
    const absent: Array<[KindDefinition<any, any>, Record<string, unknown>, string]> = [
      [
        kinds.bridge as never,
        (await call("bridge", "check", {}, props({ name: "br-none" }, "p/s/Bridge/n"))).inputs,
        "p/s/Bridge/n",
      ],
      [
        kinds.routerNamespace as never,
        (await call("routerNamespace", "check", {}, props({ name: "ns-none" }, "p/s/RouterNamespace/n"))).inputs,
        "p/s/RouterNamespace/n",
      ],
    ];
    for (const [kind, inputs, owner] of [...resources, ...absent]) {
      const spec = kind.schema.parse(
        Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "connection" && k !== "owner")),
      );
      shareReads(false);
      const scoped = await runReading(host, kind.read(spec, owner));
      shareReads(true);
      const shared = await runReading(host, kind.read(spec, owner));
      assert.deepEqual(shared, scoped, `${kind.title} ${kind.idOf(spec, owner)}`);
    }
    // The shared reads ran once each: one OVSDB read, one dump per bridge, one read of every namespace.
    shareReads(true);
    await lab.resetCommandLog();
    for (const [kind, inputs, owner] of [...resources, ...absent]) {
      const spec = kind.schema.parse(
        Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "connection" && k !== "owner")),
      );
      await runReading(host, kind.read(spec, owner));
    }
    const log = await lab.commandLog();
    const vsctl = log.filter((argv) => argv[0].endsWith("ovs-vsctl"));
    const dumps = log.filter((argv) => argv.includes("dump-flows"));
    assert.equal(vsctl.length, 1, JSON.stringify(vsctl));
    assert.deepEqual(dumps.map((argv) => argv[argv.indexOf("dump-flows") + 1]).sort(), ["br-ex", "br-int"]);
    // Every namespace on the host (ours and someone else's) read once, by the parts side by side.
    const namespaceReads = log.filter((argv) => argv[0].endsWith("ip") && argv.includes("-details"));
    assert.deepEqual(namespaceReads.map((argv) => argv[argv.indexOf("-n") + 1]).sort(), ["qr-a", "someone-else", "vm-b"]);
  });
});

const serial = fs.readFileSync(path.resolve(__dirname, "../../fixtures/adopt/hand-built/namespaces.txt"), "utf8");
const whole = splitNamespaces(serial);
const names = [...whole.namespaces.keys()];

/** What `parts` part commands print for `read` (name -> its sections), each having seen `seen[part]`. */
function partsOutput(read: string[], seen: string[][]): string {
  return seen
    .map((list, part) => {
      const mine = read.filter((_, i) => (i + 1) % seen.length === part);
      const body = mine.map((ns) => `${NAMESPACE}${ns}\n${(whole.namespaces.get(ns) ?? "@@ovslab absent").replace(/\n?$/, "\n")}`).join("");
      return `${part === 0 ? whole.host : ""}${SEEN}${list.map((n) => ` ${n}`).join("")}\n${body}`;
    })
    .join("");
}

describe("splitNamespaces over a read in parts", () => {
  it("gives the host's links and every namespace's sections as the serial read does", () => {
    assert.equal(names.length, 6);
    for (const parts of [1, 2, 4, 8]) {
      const split = splitNamespaces(partsOutput(names, Array(parts).fill(names)));
      assert.equal(split.complete, true, `${parts} parts`);
      assert.equal(split.host, whole.host);
      assert.deepEqual([...split.namespaces.keys()].sort(), [...names].sort());
      for (const ns of names)
        assert.equal(split.namespaces.get(ns)!.trimEnd(), whole.namespaces.get(ns)!.trimEnd(), `${ns}, ${parts} parts`);
    }
  });

  it("is incomplete when the parts saw different namespaces, and no resource takes its namespace from it", () => {
    const later = [...names.slice(0, 2), "vm-new", ...names.slice(2)];
    const shifted = splitNamespaces(partsOutput(later, [names, later, later, later]));
    assert.equal(shifted.complete, false);
    const twice = splitNamespaces(partsOutput(names, [names, names]) + `${NAMESPACE}${names[0]}\n@@ovslab absent\n`);
    assert.equal(twice.complete, false);
    const pick = readNamespace(names[0], [], (text) => text).shared!.pick;
    assert.equal(pick(shifted), undefined);
    assert.match(String(pick(splitNamespaces(partsOutput(names, [names, names])))), /@@ovslab ip/);
  });
});
