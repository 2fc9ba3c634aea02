// The planners' adopt paths, on hosts built by hand: what carries no ovslab mark is taken
// over in place (marks only when it matches the declaration), what another owner marked is
// refused naming that owner, and nothing is taken without `adopt`.
import { strict as assert } from "assert";
import { formatArgv, formatCommand } from "../../../core/shell";
import { bridgeSpec } from "../../../core/schema/bridge";
import { patchPairSpec } from "../../../core/schema/patchPair";
import { tunnelPortSpec } from "../../../core/schema/tunnelPort";
import { flowSpec, FlowSpec } from "../../../core/schema/flow";
import { LiveBridge, LiveBridges, LivePort } from "../../../core/live/bridge";
import { FlowBridge, parseFlowDump } from "../../../core/live/flows";
import { markNote, ownsRow } from "../../../core/plan/adopt";
import { planBridge } from "../../../core/plan/bridge";
import { planPatchPair } from "../../../core/plan/patchPair";
import { planTunnelPort } from "../../../core/plan/tunnelPort";
import { planFlows } from "../../../core/plan/flows";
import { planRouter } from "../../../core/plan/router";
import { OwnershipConflict } from "../../../core/plan/errors";
import { converged, desired as router, OWNER as ROUTER_OWNER } from "./router/fixture";

const OWNER = "lab/dev/Bridge/br-int";
const OTHER = "other/prod/Bridge/br-int";

const port = (p: Partial<LivePort> & { name: string }): LivePort => ({
  type: "system",
  trunks: [],
  options: {},
  externalIds: {},
  ...p,
});
function host(...bridges: LiveBridge[]): LiveBridges {
  const portBridge = new Map<string, string>();
  for (const b of bridges) for (const p of b.ports) portBridge.set(p.name, b.name);
  return { bridges, portBridge };
}
const bridge = (name: string, ports: LivePort[], externalIds: Record<string, string> = {}): LiveBridge => ({
  name, failMode: "secure", datapathType: "netdev", protocols: [], externalIds, otherConfig: {}, ports,
});
const argv = (ops: { argv: string[] }[]) => ops.map((op) => formatArgv(op.argv));

describe("ownsRow and markNote", () => {
  it("takes a row marked ours, and an unmarked one only when adopting", () => {
    assert.equal(ownsRow({ "ovslab-owner": OWNER }, OWNER, false), true);
    assert.equal(ownsRow({}, OWNER, false), false);
    assert.equal(ownsRow({ neutron: "yes" }, OWNER, true), true);
  });

  it("never takes a row another owner marked or kept, adopting or not", () => {
    assert.equal(ownsRow({ "ovslab-owner": OTHER }, OWNER, true), false);
    assert.equal(ownsRow({ "ovslab-kept-by": OTHER }, OWNER, true), false);
    assert.equal(markNote({ "ovslab-owner": OTHER }), `owned by ${OTHER}`);
    assert.match(markNote({}), /declare it with adopt: true/);
  });
});

describe("planBridge adopting", () => {
  const spec = bridgeSpec.parse({ name: "br-int", failMode: "secure", datapathType: "netdev", adopt: true,
    ports: [{ name: "foo", type: "internal", tag: 4 }] });
  const byHand = () =>
    host(
      bridge("br-int", [
        port({ name: "foo", type: "internal", tag: 4, externalIds: { "iface-id": "x" } }),
        port({ name: "tap9" }),
      ]),
    );

  it("writes only the marks of the bridge and its declared port when the host matches", () => {
    assert.deepEqual(argv(planBridge(spec, byHand(), OWNER)), [
      `ovs-vsctl set Bridge br-int external_ids:ovslab-owner=${OWNER} -- set Port foo external_ids:ovslab-owner=${OWNER}`,
    ]);
  });

  it("applies what differs as an update would, in the same transaction", () => {
    const live = byHand();
    live.bridges[0].ports[0].tag = 7;
    assert.deepEqual(argv(planBridge(spec, live, OWNER)), [
      `ovs-vsctl set Bridge br-int external_ids:ovslab-owner=${OWNER} -- set Port foo tag=4 external_ids:ovslab-owner=${OWNER}`,
    ]);
  });

  it("refuses without adopt, saying adopt would take it", () => {
    assert.throws(() => planBridge({ ...spec, adopt: undefined }, byHand(), OWNER), (e: Error) =>
      e instanceof OwnershipConflict && /ovslab-owner=<unset>\).*declare it with adopt: true/.test(e.message));
  });

  it("refuses a bridge or a port another owner marked, naming that owner", () => {
    const marked = byHand();
    marked.bridges[0].externalIds = { "ovslab-owner": OTHER };
    assert.throws(() => planBridge(spec, marked, OWNER), new RegExp(`ovslab-owner=${OTHER}\\)`));
    const port = byHand();
    port.bridges[0].ports[0].externalIds = { "ovslab-owner": OTHER };
    assert.throws(() => planBridge(spec, port, OWNER), new RegExp(`port foo .*owned by ${OTHER}`));
  });

  it("plans nothing once its marks are there: adopt has no further effect", () => {
    const live = byHand();
    live.bridges[0].externalIds["ovslab-owner"] = OWNER;
    live.bridges[0].ports[0].externalIds["ovslab-owner"] = OWNER;
    assert.deepEqual(planBridge(spec, live, OWNER), []);
  });
});

describe("planPatchPair and planTunnelPort adopting", () => {
  const pair = patchPairSpec.parse({
    adopt: true,
    a: { bridge: "br-int", port: "int-br-ex" },
    b: { bridge: "br-ex", port: "phy-br-ex" },
  });
  const patch = (name: string, peer: string, externalIds = {}) =>
    port({ name, type: "patch", options: { peer }, externalIds });

  it("marks both ends of a pair built by hand, and nothing else", () => {
    const live = host(
      bridge("br-int", [patch("int-br-ex", "phy-br-ex")]),
      bridge("br-ex", [patch("phy-br-ex", "int-br-ex")]),
    );
    assert.deepEqual(argv(planPatchPair(pair, live, "lab/dev/PatchPair/p")), [
      "ovs-vsctl set Port int-br-ex external_ids:ovslab-owner=lab/dev/PatchPair/p -- set Port phy-br-ex external_ids:ovslab-owner=lab/dev/PatchPair/p",
    ]);
  });

  it("refuses an end another owner marked, naming it", () => {
    const live = host(
      bridge("br-int", [patch("int-br-ex", "phy-br-ex", { "ovslab-owner": OTHER })]),
      bridge("br-ex", [patch("phy-br-ex", "int-br-ex")]),
    );
    assert.throws(() => planPatchPair(pair, live, "lab/dev/PatchPair/p"), new RegExp(`int-br-ex .*owned by ${OTHER}`));
  });

  it("marks a tunnel port built by hand with its options as declared", () => {
    const spec = tunnelPortSpec.parse({ adopt: true, bridge: "br-tun", name: "vxlan-1", remoteIp: "192.0.2.2" });
    const live = host(
      bridge("br-tun", [port({ name: "vxlan-1", type: "vxlan", options: { remote_ip: "192.0.2.2", key: "flow" } })]),
    );
    assert.deepEqual(argv(planTunnelPort(spec, live, "lab/dev/TunnelPort/t")), [
      'ovs-vsctl set Port vxlan-1 external_ids:ovslab-owner=lab/dev/TunnelPort/t',
    ]);
    assert.throws(() => planTunnelPort({ ...spec, adopt: false }, live, "lab/dev/TunnelPort/t"), OwnershipConflict);
  });
});

describe("planFlows adopting", () => {
  const COOKIE = "0x6f7600000000abcd";
  const brEx: FlowBridge = {
    name: "br-ex",
    protocols: [],
    ports: { bridge: "br-ex", byNumber: new Map([[1, "phy-br-ex"]]) },
  };
  const flow = (input: Partial<FlowSpec> & { actions: string }): FlowSpec => flowSpec.parse(input);
  const seed = [
    flow({ priority: 1, actions: "NORMAL" }),
    flow({ priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" }),
  ];
  // As OVS dumps flows added by hand in OpenFlow 1.0: cookie 0 and the reset_counts flag.
  const byHand = [
    " cookie=0x0, reset_counts priority=1 actions=NORMAL",
    " cookie=0x0, reset_counts priority=4,in_port=1,dl_vlan=1 actions=strip_vlan,NORMAL",
    " cookie=0x77, priority=9,arp actions=drop",
    " priority=0 actions=NORMAL",
  ].join("\n");
  const live = (dump: string, bridge = brEx) => ({ bridge, flows: parseFlowDump(dump) });

  it("moves the declared flows to our cookie in place (OpenFlow 1.0 modify_strict, guarded by their cookie) and writes nothing else", () => {
    assert.deepEqual(planFlows("br-ex", seed, live(byHand), COOKIE, "FlowTable", true).map(formatCommand), [
      [
        "ovs-ofctl -O OpenFlow10 add-flows br-ex - <<'OVSLAB_EOF'",
        `modify_strict table=0,priority=1,cookie=0x0/-1,cookie=${COOKIE},actions=NORMAL`,
        `modify_strict table=0,priority=4,cookie=0x0/-1,cookie=${COOKIE},in_port=1,dl_vlan=1,actions=strip_vlan,NORMAL`,
        "OVSLAB_EOF",
      ].join("\n"),
    ]);
  });

  it("changes what differs in the same plan, after the move: a bundle modifies the moved flow's actions", () => {
    const changed = [seed[0], flow({ priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "drop" })];
    const ops = planFlows("br-ex", changed, live(byHand), COOKIE, "FlowTable", true);
    assert.equal(ops.length, 2);
    assert.match(
      formatCommand(ops[0]),
      /modify_strict table=0,priority=4,cookie=0x0\/-1,cookie=0x6f7600000000abcd,in_port=1,dl_vlan=1,actions=strip_vlan,NORMAL/,
    );
    assert.match(
      formatCommand(ops[1]),
      /--bundle add-flows br-ex -[^]*modify_strict table=0,priority=4,cookie=0x6f7600000000abcd,in_port=phy-br-ex,dl_vlan=1,actions=drop/,
    );
    assert.doesNotMatch(
      formatCommand(ops[1]),
      /delete cookie=/,
      "never a delete of our cookie that would undo the move",
    );
  });

  it("never takes another ovslab resource's flow, and refuses without adopt", () => {
    const theirs = byHand.replace(" cookie=0x0, reset_counts priority=1", " cookie=0x6f76000000009999, priority=1");
    assert.throws(
      () => planFlows("br-ex", seed, live(theirs), COOKIE, "FlowTable", true),
      /under cookie 0x6f76000000009999, which is not ours/,
    );
    assert.throws(() => planFlows("br-ex", seed, live(byHand), COOKIE, "FlowTable", false), OwnershipConflict);
  });

  it("needs no write for flows declared under the cookie they already carry", () => {
    assert.deepEqual(
      planFlows("br-ex", seed, live(byHand.replace(/cookie=0x0,/g, "cookie=0x5eed,")), "0x5eed", "FlowTable", true),
      [],
    );
  });

  it("replaces the flows in the bundle instead on a bridge that refuses OpenFlow 1.0", () => {
    const of14 = { ...brEx, protocols: ["OpenFlow13", "OpenFlow14"] };
    const [op] = planFlows("br-ex", seed, live(byHand, of14), COOKIE, "FlowTable", true).map(formatCommand);
    assert.match(op, /-O OpenFlow14 --bundle add-flows br-ex -/);
    assert.match(op, /add table=0,priority=1,cookie=0x6f7600000000abcd,actions=NORMAL/);
    assert.doesNotMatch(op, /delete_strict|cookie=0x0/, "the adds replace the hand flows; nothing deletes them");
  });
});

describe("planRouter adopting", () => {
  /** The captured router as a person would have built it: no marks, its NAT straight in the built-in chains. */
  function byHand() {
    const live = converged();
    const ns = live.namespace!;
    ns.links.find((l) => l.name === "lo")!.alias = undefined;
    for (const b of live.ovs.bridges) for (const p of b.ports) delete p.externalIds["ovslab-owner"];
    ns.nat = {
      chains: ns.nat.chains.filter((c) => !c.name.startsWith("ovslab-")),
      rules: ns.nat.rules
        .filter((r) => !r.spec.startsWith("-j ovslab-"))
        .map((r) => ({ ...r, chain: r.chain.replace(/^ovslab-/, "") })),
    };
    ns.nat.rules.push({ chain: "POSTROUTING", spec: "-j neutron-l3-agent-snat" });
    return live;
  }

  it("marks lo and the ports, and moves the hand NAT rules into our chains in one iptables-restore", () => {
    const ops = planRouter({ ...router, adopt: true }, byHand(), ROUTER_OWNER);
    assert.equal(ops.length, 3);
    assert.equal(
      formatArgv(ops[0].argv),
      "ovs-vsctl set Port qr-a external_ids:ovslab-owner=t/s/r1 -- set Port qg-b external_ids:ovslab-owner=t/s/r1",
    );
    assert.equal(formatArgv(ops[1].argv), "ip -n qrouter-1 link set dev lo up alias t/s/r1");
    assert.equal(formatArgv(ops[2].argv), "nsenter --net=/var/run/netns/qrouter-1 iptables-restore --noflush -w");
    const restore = ops[2].stdin!;
    assert.match(restore, /^-A ovslab-POSTROUTING -s 10\.0\.0\.0\/24 -o qg-b -j SNAT --to-source 172\.24\.4\.2$/m);
    assert.match(restore, /^-D POSTROUTING -s 10\.0\.0\.0\/24 -o qg-b -j SNAT --to-source 172\.24\.4\.2$/m);
    assert.match(restore, /^-D PREROUTING -d 172\.24\.4\.10\/32 -j DNAT --to-destination 10\.0\.0\.6$/m);
    assert.doesNotMatch(restore, /neutron/, "a chain or jump not ours is never named");
  });

  it("refuses without adopt, and a namespace another owner marked, naming the mark", () => {
    assert.throws(
      () => planRouter(router, byHand(), ROUTER_OWNER),
      /lo alias, ovslab's mark, is <unset>\).*adopt: true/,
    );
    const marked = byHand();
    marked.namespace!.links.find((l) => l.name === "lo")!.alias = "other/prod/RouterNamespace/r";
    assert.throws(
      () => planRouter({ ...router, adopt: true }, marked, ROUTER_OWNER),
      /is "other\/prod\/RouterNamespace\/r"/,
    );
  });

  it("plans nothing on the converged router, adopting or not", () => {
    assert.deepEqual(planRouter({ ...router, adopt: true }, converged(), ROUTER_OWNER), []);
  });
});
