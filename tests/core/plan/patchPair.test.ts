import { strict as assert } from "assert";
import { formatArgv } from "../../../core/shell";
import { patchPairSpec } from "../../../core/schema/patchPair";
import { LiveBridge, LiveBridges, LivePort } from "../../../core/live/bridge";
import { observePatchPair, patchPairProblems, planPatchPair, planPatchPairDelete } from "../../../core/plan/patchPair";
import { OwnershipConflict } from "../../../core/plan/errors";
import { MissingBridgeError } from "../../../core/plan/errors";

const OWNER = "lab/dev/int-ex";
const pair = patchPairSpec.parse({
  a: { bridge: "br-int", port: "int-br-ex" },
  b: { bridge: "br-ex", port: "phy-br-ex" },
});
const mark = { "ovslab-owner": OWNER };

function port(p: Partial<LivePort> & { name: string }): LivePort {
  return { type: "patch", trunks: [], options: {}, externalIds: mark, ...p };
}
function bridge(name: string, ports: LivePort[] = []): LiveBridge {
  return {
    name,
    failMode: "standalone",
    datapathType: "netdev",
    protocols: [],
    externalIds: { "ovslab-owner": `lab/dev/${name}` },
    otherConfig: {},
    ports,
  };
}
function host(...bridges: LiveBridge[]): LiveBridges {
  const portBridge = new Map<string, string>();
  for (const b of bridges) for (const p of [...b.ports, { name: b.name }]) portBridge.set(p.name, b.name);
  return { bridges, portBridge };
}
/** Both ends exactly as the pair wants them; `a`/`b` change one end. */
function converged(a: Partial<LivePort> = {}, b: Partial<LivePort> = {}, extra: LivePort[] = []): LiveBridges {
  return host(
    bridge("br-int", [
      port({ name: "foo", type: "internal", externalIds: { "ovslab-owner": "lab/dev/br-int" } }),
      port({ name: "int-br-ex", options: { peer: "phy-br-ex" }, ...a }),
    ]),
    bridge("br-ex", [port({ name: "phy-br-ex", options: { peer: "int-br-ex" }, ...b }), ...extra]),
  );
}
const lines = (ops: { argv: string[] }[]) => ops.map((op) => formatArgv(op.argv));

describe("planPatchPair", () => {
  it("creates both ends, marked as ours, in ONE ovs-vsctl transaction, touching no bridge column", () => {
    assert.deepEqual(lines(planPatchPair(pair, host(bridge("br-int"), bridge("br-ex")), OWNER)), [
      "ovs-vsctl --may-exist add-port br-int int-br-ex -- set Port int-br-ex external_ids:ovslab-owner=lab/dev/int-ex -- set Interface int-br-ex type=patch options:peer=phy-br-ex" +
        " -- --may-exist add-port br-ex phy-br-ex -- set Port phy-br-ex external_ids:ovslab-owner=lab/dev/int-ex -- set Interface phy-br-ex type=patch options:peer=int-br-ex",
    ]);
  });

  it("plans nothing when both ends are as declared", () => {
    assert.deepEqual(planPatchPair(pair, converged(), OWNER), []);
  });

  const drift: Array<[string, LiveBridges, string]> = [
    [
      "a peer changed by hand",
      converged({}, { options: { peer: "nowhere" } }),
      "ovs-vsctl set Interface phy-br-ex options:peer=int-br-ex",
    ],
    ["a type changed by hand", converged({ type: "internal" }), "ovs-vsctl set Interface int-br-ex type=patch"],
    ["a tag set by hand", converged({ tag: 7 }), "ovs-vsctl clear Port int-br-ex tag"],
    ["a vlan_mode set by hand", converged({}, { vlanMode: "trunk" }), "ovs-vsctl clear Port phy-br-ex vlan_mode"],
    [
      "one end deleted by hand",
      host(bridge("br-int", [port({ name: "int-br-ex", options: { peer: "phy-br-ex" } })]), bridge("br-ex")),
      "ovs-vsctl --may-exist add-port br-ex phy-br-ex -- set Port phy-br-ex external_ids:ovslab-owner=lab/dev/int-ex -- set Interface phy-br-ex type=patch options:peer=int-br-ex",
    ],
  ];
  for (const [what, live, expected] of drift) {
    it(`repairs ${what}, and only that`, () => assert.deepEqual(lines(planPatchPair(pair, live, OWNER)), [expected]));
  }

  it("sets a declared tag and trunks on the ends", () => {
    const tagged = patchPairSpec.parse({ a: { ...pair.a, tag: 1 }, b: { ...pair.b, trunks: [3, 1] } });
    assert.deepEqual(lines(planPatchPair(tagged, converged(), OWNER)), [
      "ovs-vsctl set Port int-br-ex tag=1 -- set Port phy-br-ex 'trunks=[1,3]'",
    ]);
  });

  it("sets a declared vlan_mode on an end, and plans nothing once the host has it", () => {
    const moded = patchPairSpec.parse({ a: { ...pair.a, vlanMode: "native-untagged", tag: 5 }, b: pair.b });
    assert.deepEqual(lines(planPatchPair(moded, converged(), OWNER)), [
      "ovs-vsctl set Port int-br-ex tag=5 vlan_mode=native-untagged",
    ]);
    assert.deepEqual(planPatchPair(moded, converged({ tag: 5, vlanMode: "native-untagged" }), OWNER), []);
  });

  it("moves an end renamed in the program: the old port goes in the same transaction", () => {
    const renamed = patchPairSpec.parse({ a: pair.a, b: { bridge: "br-ex", port: "phy-br-ex2" } });
    assert.deepEqual(lines(planPatchPair(renamed, converged(), OWNER)), [
      "ovs-vsctl --if-exists del-port br-ex phy-br-ex -- set Interface int-br-ex options:peer=phy-br-ex2" +
        " -- --may-exist add-port br-ex phy-br-ex2 -- set Port phy-br-ex2 external_ids:ovslab-owner=lab/dev/int-ex -- set Interface phy-br-ex2 type=patch options:peer=int-br-ex",
    ]);
  });

  it("leaves ports it does not own alone, and never deletes them", () => {
    const live = converged({}, {}, [port({ name: "eth1", type: "system", externalIds: {} })]);
    assert.deepEqual(planPatchPair(pair, live, OWNER), []);
    assert.doesNotMatch(lines(planPatchPairDelete(pair, live, OWNER))[0], /eth1|foo|del-br/);
  });

  it("refuses a port of that name that someone else owns", () => {
    const live = converged({ externalIds: {} });
    assert.throws(() => planPatchPair(pair, live, OWNER), OwnershipConflict);
    assert.throws(
      () => planPatchPair(pair, live, OWNER),
      /port int-br-ex already exists on bridge br-int and is not owned by lab\/dev\/int-ex/,
    );
  });

  it("refuses a missing bridge, naming it", () => {
    assert.throws(() => planPatchPair(pair, host(bridge("br-int")), OWNER), MissingBridgeError);
    assert.throws(() => planPatchPair(pair, host(bridge("br-int")), OWNER), /bridge br-ex does not exist on the host/);
  });
});

describe("planPatchPairDelete", () => {
  it("deletes both ends and nothing else, in one transaction", () => {
    assert.deepEqual(lines(planPatchPairDelete(pair, converged(), OWNER)), [
      "ovs-vsctl --if-exists del-port br-int int-br-ex -- --if-exists del-port br-ex phy-br-ex",
    ]);
  });

  it("does nothing when neither end is there", () => {
    assert.deepEqual(planPatchPairDelete(pair, host(bridge("br-int"), bridge("br-ex")), OWNER), []);
  });
});

describe("observePatchPair", () => {
  it("shows the pair as declared when both ends are", () => {
    assert.deepEqual(observePatchPair(converged(), pair, OWNER), pair);
  });

  it("shows a tag set by hand, and keeps the declared order of trunks", () => {
    const declared = patchPairSpec.parse({ a: pair.a, b: { ...pair.b, trunks: [3, 1] } });
    const observed = observePatchPair(converged({ tag: 7 }, { trunks: [1, 3] }), declared, OWNER)!;
    assert.deepEqual(observed, { a: { ...pair.a, tag: 7 }, b: { ...pair.b, trunks: [3, 1] } });
  });

  it("shows a vlan_mode set by hand on an end, so refresh records it and the preview shows it", () => {
    const observed = observePatchPair(converged({}, { vlanMode: "trunk", tag: 9 }), pair, OWNER)!;
    assert.deepEqual(observed.b, { ...pair.b, tag: 9, vlanMode: "trunk" });
    assert.equal(patchPairSpec.parse(observed).b.vlanMode, "trunk", "what refresh records reads back as a valid spec");
  });

  it("shows a peer changed by hand, and `<none>` for an end that is no patch port any more", () => {
    const observed = observePatchPair(converged({ options: { peer: "nowhere" } }, { type: "internal" }), pair, OWNER)!;
    assert.equal(observed.a.peer, "nowhere");
    assert.equal(observed.b.peer, "<none>");
    assert.equal(patchPairSpec.parse(observed).b.peer, "int-br-ex", "what refresh records reads back as a valid spec");
  });

  it("is undefined when neither end is there any more", () => {
    assert.equal(observePatchPair(host(bridge("br-int"), bridge("br-ex")), pair, OWNER), undefined);
  });
});

describe("patchPairProblems", () => {
  it("reports what OVS says about an end it could not set up", () => {
    const live = converged({ error: "No usable peer 'phy-br-ex' exists in 'netdev' datapath." });
    assert.deepEqual(patchPairProblems(pair, live), [
      "port int-br-ex on br-int: No usable peer 'phy-br-ex' exists in 'netdev' datapath.",
    ]);
  });
});
