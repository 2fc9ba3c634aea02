import { strict as assert } from "node:assert";
import { declareFlows, flowArgs, unquotePortNames } from "../../../core/adopt/flows";
import { HostState } from "../../../core/adopt/model";
import { LiveBridge } from "../../../core/live/bridge";
import { freshBridge } from "../../../core/plan/bridge";
import { parseFlowDump } from "../../../core/live/flows";
import { derivedCookie } from "../../../core/openflow/cookie";

const bridge = (name: string, failMode = "secure"): LiveBridge => ({ ...freshBridge(name), failMode });
const hostWith = (dumps: Record<string, string>): HostState => ({
  ovs: { bridges: [], portBridge: new Map() },
  flows: Object.fromEntries(Object.entries(dumps).map(([b, text]) => [b, parseFlowDump(text)])),
  namespaces: [],
  hostLinks: [],
});
const options = { bridges: [], netns: [], cookies: [] as string[] };

// The shape of a Neutron OVS agent's br-int dump (`ovs-ofctl dump-flows br-int --names`): its cookie, several tables.
const NEUTRON = `NXST_FLOW reply (xid=0x4):
 cookie=0x77e1a6d0c0ffee01, priority=65535,dl_vlan=4095 actions=drop
 cookie=0x77e1a6d0c0ffee01, table=24, priority=2,arp,in_port="tap0f4a",arp_spa=10.0.0.5 actions=resubmit(,25)
 cookie=0x77e1a6d0c0ffee01, table=25, priority=1 actions=learn(table=26,priority=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),NORMAL
 priority=3,in_port="int-br-ex",vlan_tci=0x0000/0x1fff actions=mod_vlan_vid:1,NORMAL
 table=1, priority=9,ip actions=resubmit(,2)
 priority=1 actions=NORMAL
 priority=0 actions=NORMAL
`;

describe("unquotePortNames", () => {
  it("drops the quotes --names puts around a port name only where the bare name means the same port", () => {
    assert.equal(
      unquotePortNames('in_port="int-br-ex" actions=output:"qg-0c4c9d04-f0"'),
      "in_port=int-br-ex actions=output:qg-0c4c9d04-f0",
    );
    // Digits alone are a port number bare, and a reserved word a reserved port: those keep their quotes.
    assert.equal(unquotePortNames('in_port="123",actions=output:"local"'), 'in_port="123",actions=output:"local"');
    assert.equal(unquotePortNames('in_port="a b"'), 'in_port="a b"');
  });
});

describe("flowArgs", () => {
  it("states only what differs from a FlowTable flow's defaults", () => {
    const [flow] = parseFlowDump(" cookie=0x1, table=3, idle_timeout=5, priority=32768 actions=drop");
    assert.deepEqual(flowArgs(flow), { table: 3, priority: 32768, actions: "drop", idleTimeout: 5 });
  });
});

describe("declareFlows", () => {
  it("adopts cookie 0, its flows table by table and highest priority first, never OVS's own flow, and lists other cookies", () => {
    const out = declareFlows(hostWith({ "br-int": NEUTRON }), options, [bridge("br-int", "standalone")]);
    assert.deepEqual(
      out.flowTables.map((t) => [
        t.name,
        t.adopt,
        t.args.cookie,
        t.args.flows.map((f) => `${f.table ?? 0}/${f.priority}`),
      ]),
      [["br-int-flows", true, undefined, ["0/3", "0/1", "1/9"]]],
    );
    assert.deepEqual(out.leftAlone, [
      "flow priority=0 actions=NORMAL on br-int: OVS's own default flow of a standalone bridge",
      "3 flow(s) of cookie 0x77e1a6d0c0ffee01 on br-int (table 0, 24, 25): not selected (--cookie 0x77e1a6d0c0ffee01 adopts them)",
    ]);
  });

  it("keeps priority=0 actions=NORMAL of a secure bridge: there it is someone's flow, not OVS's", () => {
    const out = declareFlows(hostWith({ br: " priority=0 actions=NORMAL" }), options, [bridge("br")]);
    assert.deepEqual(out.flowTables[0].args.flows, [{ priority: 0, actions: "NORMAL" }]);
  });

  it("declares a selected cookie under that cookie, with its flows as OVS printed them", () => {
    const out = declareFlows(hostWith({ "br-int": NEUTRON }), { ...options, cookies: ["0x77e1a6d0c0ffee01"] }, [
      bridge("br-int"),
    ]);
    const table = out.flowTables.find((t) => t.args.cookie !== undefined)!;
    assert.equal(table.name, "br-int-flows-0x77e1a6d0c0ffee01");
    assert.equal(table.args.cookie, "0x77e1a6d0c0ffee01");
    assert.deepEqual(table.args.flows[1], {
      table: 24,
      priority: 2,
      match: "arp,in_port=tap0f4a,arp_spa=10.0.0.5",
      actions: "resubmit(,25)",
    });
  });

  it("declares the program's own ovslab cookie under its table's name, and leaves another stack's", () => {
    const own = derivedCookie("FlowTable", "lab/dev/FlowTable/br-int-flows");
    const other = derivedCookie("FlowTable", "lab/prod/FlowTable/br-int-flows");
    const dump = ` cookie=${other}, priority=5 actions=drop\n cookie=${own}, priority=1 actions=NORMAL\n priority=2 actions=drop`;
    const out = declareFlows(hostWith({ "br-int": dump }), { ...options, owner: "lab/dev" }, [bridge("br-int")]);
    assert.deepEqual(
      out.flowTables.map((t) => [t.name, t.adopt, t.args.cookie]),
      [
        ["br-int-flows", false, undefined],
        ["br-int-flows-2", true, undefined],
      ],
    );
    assert.deepEqual(out.leftAlone, [
      `1 flow(s) of cookie ${other} on br-int (table 0): another ovslab resource's or stack's cookie`,
    ]);
  });

  it("lists a flow a FlowTable cannot state; of a selected cookie, it keeps the whole cookie out", () => {
    const dump =
      " priority=7 send_flow_rem actions=drop\n cookie=0x9, priority=6 actions=drop\n cookie=0x9, importance=3, priority=5 actions=drop";
    const out = declareFlows(hostWith({ br: dump }), { ...options, cookies: ["0x9"] }, [bridge("br")]);
    assert.deepEqual(out.flowTables, []);
    assert.deepEqual(out.leftAlone, [
      "flow priority=7 actions=drop on br: flags send_flow_rem (FlowTable has no field for them)",
      "2 flow(s) of cookie 0x9 on br (table 0): 1 of them cannot be stated (importance=3 (FlowTable has no field for it))",
    ]);
  });

  it("lists two flows OVS prints alike (an all-zero mask is kept apart from no match), and a cookie holding such", () => {
    const alike = " priority=5 actions=drop\n priority=5 actions=NORMAL\n priority=6 actions=drop";
    const zero = declareFlows(hostWith({ br: alike }), options, [bridge("br")]);
    assert.deepEqual(zero.flowTables[0].args.flows, [{ priority: 6, actions: "drop" }]);
    const why = "the host holds another flow that prints the same table, priority and match";
    assert.deepEqual(zero.leftAlone, [
      `flow priority=5 actions=drop on br: ${why}`,
      `flow priority=5 actions=NORMAL on br: ${why}`,
    ]);
    const dump = alike.replace(/^ /gm, " cookie=0x9, ");
    const other = declareFlows(hostWith({ br: dump }), { ...options, cookies: ["0x9"] }, [bridge("br")]);
    assert.deepEqual(other.flowTables, []);
    assert.deepEqual(other.leftAlone, [`3 flow(s) of cookie 0x9 on br (table 0): 2 of them cannot be stated (${why})`]);
  });
});
