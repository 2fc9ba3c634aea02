import { strict as assert } from "assert";
import { formatArgv } from "../../../core/shell";
import { bridgeSpec, BridgeSpec } from "../../../core/schema/bridge";
import { LiveBridge, LiveBridges, LivePort } from "../../../core/live/bridge";
import { observeBridge, planBridge, planBridgeDelete } from "../../../core/plan/bridge";
import { OwnershipConflict } from "../../../core/plan/errors";

const OWNER = "lab/dev/br-int";
const spec = (input: unknown): BridgeSpec => bridgeSpec.parse(input);
const desired = spec({
  name: "br-int",
  failMode: "secure",
  datapathType: "netdev",
  ports: [
    { name: "foo", type: "internal", tag: 4 },
    { name: "int-br-ex", type: "patch", options: { peer: "phy-br-ex" } },
  ],
});

function ours(port: Partial<LivePort> & { name: string }): LivePort {
  return { type: "internal", trunks: [], options: {}, externalIds: { "ovslab-owner": OWNER }, ...port };
}

/** The host exactly as `desired` wants it. */
function converged(): LiveBridge {
  return {
    name: "br-int",
    failMode: "secure",
    datapathType: "netdev",
    protocols: [],
    externalIds: { "ovslab-owner": OWNER },
    otherConfig: {},
    ports: [ours({ name: "foo", tag: 4 }), ours({ name: "int-br-ex", type: "patch", options: { peer: "phy-br-ex" } })],
  };
}

function host(...bridges: LiveBridge[]): LiveBridges {
  const portBridge = new Map<string, string>();
  for (const b of bridges) for (const p of b.ports) portBridge.set(p.name, b.name);
  return { bridges, portBridge };
}

const lines = (ops: { argv: string[] }[]) => ops.map((op) => formatArgv(op.argv));

describe("planBridge", () => {
  it("creates the bridge and its ports from empty in ONE ovs-vsctl transaction", () => {
    assert.deepEqual(lines(planBridge(desired, host(), OWNER)), [
      "ovs-vsctl --may-exist add-br br-int -- set Bridge br-int datapath_type=netdev fail_mode=secure external_ids:ovslab-owner=lab/dev/br-int" +
        " -- --may-exist add-port br-int foo -- set Port foo tag=4 external_ids:ovslab-owner=lab/dev/br-int -- set Interface foo type=internal" +
        " -- --may-exist add-port br-int int-br-ex -- set Port int-br-ex external_ids:ovslab-owner=lab/dev/br-int -- set Interface int-br-ex type=patch options:peer=phy-br-ex",
    ]);
  });

  it("plans nothing when the host already matches", () => {
    assert.deepEqual(planBridge(desired, host(converged()), OWNER), []);
  });

  it("sets the tag column again, since --may-exist add-port would ignore it", () => {
    const live = converged();
    live.ports[0].tag = 9;
    assert.deepEqual(lines(planBridge(desired, host(live), OWNER)), ["ovs-vsctl set Port foo tag=4"]);
  });

  it("re-adds a port deleted by hand, with all its columns", () => {
    const live = converged();
    live.ports.splice(0, 1);
    assert.deepEqual(lines(planBridge(desired, host(live), OWNER)), [
      "ovs-vsctl --may-exist add-port br-int foo -- set Port foo tag=4 external_ids:ovslab-owner=lab/dev/br-int -- set Interface foo type=internal",
    ]);
  });

  it("restores fail_mode changed by hand", () => {
    const live = converged();
    live.failMode = "standalone";
    assert.deepEqual(lines(planBridge(desired, host(live), OWNER)), ["ovs-vsctl set Bridge br-int fail_mode=secure"]);
  });

  it("restores an interface option changed by hand", () => {
    const live = converged();
    live.ports[1].options = { peer: "elsewhere" };
    assert.deepEqual(lines(planBridge(desired, host(live), OWNER)), [
      "ovs-vsctl set Interface int-br-ex options:peer=phy-br-ex",
    ]);
  });

  it("clears a tag the spec no longer sets", () => {
    const untagged = spec({ ...desired, ports: [{ name: "foo", type: "internal" }, desired.ports[1]] });
    assert.deepEqual(lines(planBridge(untagged, host(converged()), OWNER)), ["ovs-vsctl clear Port foo tag"]);
  });

  it("keeps a port that was added by hand and deletes one of ours the spec dropped", () => {
    const live = converged();
    live.ports.push({ name: "tap-hand", type: "internal", trunks: [], options: {}, externalIds: {} });
    const fewer = spec({ ...desired, ports: [desired.ports[0]] });
    assert.deepEqual(lines(planBridge(fewer, host(live), OWNER)), ["ovs-vsctl --if-exists del-port br-int int-br-ex"]);
  });

  it("removes map keys it declared before and no longer declares, and only those", () => {
    const live = converged();
    live.externalIds = { ...live.externalIds, "bridge-id": "mine", "neutron-key": "theirs" };
    const before = spec({ ...desired, externalIds: { "bridge-id": "mine" } });
    assert.deepEqual(lines(planBridge(desired, host(live), OWNER, before)), [
      "ovs-vsctl remove Bridge br-int external_ids bridge-id",
    ]);
  });

  it("quotes map values that ovs-vsctl would otherwise parse", () => {
    const withSpace = spec({ ...desired, otherConfig: { "mac-table-size": "a b" } });
    assert.deepEqual(lines(planBridge(withSpace, host(converged()), OWNER)), [
      `ovs-vsctl set Bridge br-int 'other_config:mac-table-size="a b"'`,
    ]);
  });

  it("refuses to take over a bridge that exists and is not ours", () => {
    const theirs = { ...converged(), externalIds: {} };
    assert.throws(() => planBridge(desired, host(theirs), OWNER), OwnershipConflict);
  });

  it("refuses to take over a port of the same name that someone else added", () => {
    const live = converged();
    live.ports[0].externalIds = {};
    assert.throws(
      () => planBridge(desired, host(live), OWNER),
      /port foo already exists on bridge br-int and is not owned by lab\/dev\/br-int/,
    );
  });

  it("refuses a port that lives on another bridge", () => {
    const other: LiveBridge = { ...converged(), name: "br-ex", externalIds: {}, ports: [ours({ name: "foo" })] };
    const live = converged();
    live.ports.splice(0, 1);
    assert.throws(() => planBridge(desired, host(live, other), OWNER), /port foo already exists on bridge br-ex/);
  });
});

describe("planBridge on a fail_mode change", () => {
  const dumped = (cookie: string, table: number, priority: number, match: string, actions: string, more = {}) =>
    ({ cookie, table, priority, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: [], match, actions, ...more });

  it("adds back every flow OVS flushes, others' exactly as they were, but not OVS's own NORMAL flow", () => {
    const live = { ...host({ ...converged(), failMode: "standalone" }), flows: { "br-int": [
      dumped("0x0", 0, 0, "", "NORMAL"),
      dumped("0x77", 23, 9, "arp,in_port=2", "drop", { idleTimeout: 60, flags: ["send_flow_rem"] }),
      dumped("0x6f76000000000001", 0, 3, "in_port=1,vlan_tci=0x0000/0x1fff", "mod_vlan_vid:1,NORMAL"),
    ] } };
    const ops = planBridge(desired, live, OWNER);
    assert.deepEqual(lines(ops), [
      "ovs-vsctl set Bridge br-int fail_mode=secure",
      "ovs-ofctl -O OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15 add-flows br-int -",
    ]);
    assert.equal(ops[1].stdin,
      "cookie=0x77,table=23,priority=9,idle_timeout=60,send_flow_rem,arp,in_port=2,actions=drop\n" +
      "cookie=0x6f76000000000001,table=0,priority=3,in_port=1,vlan_tci=0x0000/0x1fff,actions=mod_vlan_vid:1,NORMAL\n");
  });

  it("adds nothing back when the bridge had no flow but OVS's own", () => {
    const live = {
      ...host({ ...converged(), failMode: "standalone" }),
      flows: { "br-int": [dumped("0x0", 0, 0, "", "NORMAL")] },
    };
    assert.deepEqual(lines(planBridge(desired, live, OWNER)), ["ovs-vsctl set Bridge br-int fail_mode=secure"]);
  });
});

describe("planBridgeDelete", () => {
  it("deletes the whole bridge when only our ports are on it", () => {
    assert.deepEqual(lines(planBridgeDelete("br-int", host(converged()), OWNER)), [
      "ovs-vsctl --if-exists del-br br-int",
    ]);
  });

  it("keeps the bridge, without our mark but marked kept by us, when someone else's port is on it", () => {
    const live = converged();
    live.ports.push({ name: "tap-hand", type: "internal", trunks: [], options: {}, externalIds: {} });
    assert.deepEqual(lines(planBridgeDelete("br-int", host(live), OWNER)), [
      "ovs-vsctl --if-exists del-port br-int foo -- --if-exists del-port br-int int-br-ex -- remove Bridge br-int external_ids ovslab-owner" +
        " -- set Bridge br-int external_ids:ovslab-kept-by=lab/dev/br-int",
    ]);
  });

  it("keeps the bridge for someone else's flow, and ignores the NORMAL flow OVS itself adds", () => {
    const flow = (cookie: string, priority: number, match: string, actions: string) =>
      ({ cookie, table: 0, priority, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: [], match, actions });
    const withDefault = { ...host(converged()), flows: { "br-int": [flow("0x0", 0, "", "NORMAL")] } };
    assert.deepEqual(lines(planBridgeDelete("br-int", withDefault, OWNER)), ["ovs-vsctl --if-exists del-br br-int"]);
    const withTheirs = {
      ...host(converged()),
      flows: { "br-int": [flow("0x0", 0, "", "NORMAL"), flow("0x77", 9, "arp", "drop")] },
    };
    assert.deepEqual(lines(planBridgeDelete("br-int", withTheirs, OWNER)), [
      "ovs-vsctl --if-exists del-port br-int foo -- --if-exists del-port br-int int-br-ex -- remove Bridge br-int external_ids ovslab-owner" +
        " -- set Bridge br-int external_ids:ovslab-kept-by=lab/dev/br-int",
    ]);
    assert.match(planBridgeDelete("br-int", withTheirs, OWNER)[0].why, /1 flow of cookie 0x77/);
  });

  it("takes back a bridge it kept (kept-by mark), and refuses one kept by another owner, naming it", () => {
    const kept = { ...converged(), ports: [], externalIds: { "ovslab-kept-by": OWNER } };
    assert.deepEqual(lines(planBridge(spec({ ...desired, ports: [] }), host(kept), OWNER)), [
      "ovs-vsctl set Bridge br-int external_ids:ovslab-owner=lab/dev/br-int -- remove Bridge br-int external_ids ovslab-kept-by",
    ]);
    assert.throws(
      () => planBridge(desired, host(kept), "lab/other/br-int"),
      /not owned by lab\/other\/br-int \(external_ids:ovslab-owner=<unset>, kept by lab\/dev\/br-int for what others have on it\)/,
    );
  });

  it("does nothing to a bridge that is gone or not ours", () => {
    assert.deepEqual(planBridgeDelete("br-int", host(), OWNER), []);
    assert.deepEqual(planBridgeDelete("br-int", host({ ...converged(), externalIds: {} }), OWNER), []);
  });
});

describe("observeBridge", () => {
  it("shows the host in the spec's shape, equal to the spec when converged", () => {
    assert.deepEqual(observeBridge(host(converged()), desired, OWNER), desired);
  });

  it("shows drift in the field that drifted", () => {
    const live = converged();
    live.ports[0].tag = 9;
    assert.equal(observeBridge(host(live), desired, OWNER)!.ports[0].tag, 9);
  });

  it("hides ports and map keys the resource does not manage", () => {
    const live = converged();
    live.ports.push({ name: "tap-hand", type: "internal", trunks: [], options: {}, externalIds: {} });
    live.externalIds["neutron"] = "x";
    const seen = observeBridge(host(live), desired, OWNER)!;
    assert.deepEqual(seen.ports.map((p) => p.name), ["foo", "int-br-ex"]);
    assert.deepEqual(seen.externalIds, {});
  });

  it("reports a bridge that is gone as undefined", () => {
    assert.equal(observeBridge(host(), desired, OWNER), undefined);
  });
});
