import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { flowBridgeOf, parseFlowDump } from "../../../core/live/flows";
import { parseBridges } from "../../../core/live/bridge";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/ovs", name), "utf8");

describe("parseFlowDump", () => {
  // OVS 3.1, OpenFlow 1.3, flows added with -O OpenFlow13 (hence reset_counts); port 1 is phy-br-ex.
  it("reads a dump with statistics and its header line", () => {
    const flows = parseFlowDump(fixture("dump-of13.txt"));
    assert.equal(flows.length, 5);
    assert.deepEqual(flows[0], {
      cookie: "0x1234", table: 0, priority: 4, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: ["reset_counts"],
      match: "in_port=1,dl_vlan=1", actions: "pop_vlan,NORMAL",
    });
    assert.deepEqual(flows[4], {
      cookie: "0xabc",
      table: 3,
      priority: 100,
      idleTimeout: 30,
      hardTimeout: 60,
      importance: 0,
      flags: ["reset_counts"],
      match: "tcp,nw_src=10.0.0.0/24,tp_dst=80",
      actions: "push_vlan:0x8100,set_field:4101->vlan_vid,output:1",
    });
  });

  it("reads --no-stats output, where cookie 0 and table 0 are left out", () => {
    const flows = parseFlowDump(fixture("dump-of13-nonames-nostats.txt"));
    assert.deepEqual(flows.map((f) => [f.cookie, f.table, f.priority, f.match, f.actions]), [
      ["0x1234", 0, 4, "in_port=1,dl_vlan=1", "pop_vlan,NORMAL"],
      ["0x0", 0, 2, "in_port=1", "drop"],
      ["0x0", 0, 0, "", "NORMAL"],
      ["0x0", 0, 1, "", "NORMAL"],
      ["0xabc", 3, 100, "tcp,nw_src=10.0.0.0/24,tp_dst=80", "push_vlan:0x8100,set_field:4101->vlan_vid,output:1"],
    ]);
  });

  it("reads --names output with quoted port names", () => {
    const flows = parseFlowDump(fixture("dump-of13-names-nostats.txt"));
    assert.equal(flows[0].match, 'in_port="phy-br-ex",dl_vlan=1');
    assert.equal(flows[4].actions, 'push_vlan:0x8100,set_field:4101->vlan_vid,output:"phy-br-ex"');
  });

  it("reads a flow with no match and the default priority, which OVS leaves out", () => {
    const [flow] = parseFlowDump(" cookie=0x99, actions=drop\n");
    assert.equal(flow.priority, 32768);
    assert.equal(flow.match, "");
    assert.equal(flow.actions, "drop");
  });

  it("reads importance and flow-mod flags", () => {
    const [flow] = parseFlowDump(" cookie=0x99, importance=5, send_flow_rem priority=3,ip actions=NORMAL\n");
    assert.deepEqual([flow.importance, flow.flags, flow.priority, flow.match], [5, ["send_flow_rem"], 3, "ip"]);
  });

  it("reads an empty dump as no flows", () => {
    assert.deepEqual(parseFlowDump(""), []);
    assert.deepEqual(parseFlowDump("OFPST_FLOW reply (OF1.4) (xid=0x2):\n"), []);
  });

  it("reads every line of the round-trip capture", () => {
    const lines = fixture("flow-roundtrip.txt").split("\n").filter((l) => l && !l.startsWith("#"));
    for (const line of lines) assert.equal(parseFlowDump(line.split("\t")[1]).length, 1, line);
  });
});

describe("flowBridgeOf", () => {
  it("gives the bridge's protocols and port numbers, its own name standing for LOCAL", () => {
    const bridge = flowBridgeOf(parseBridges(fixture("vsctl-multi.json")), "br-int")!;
    assert.deepEqual(bridge.protocols, []);
    assert.equal(bridge.ports.bridge, "br-int");
    assert.deepEqual([...bridge.ports.byNumber].sort(), [[1, "foo"], [2, "jack"], [3, "int-br-ex"]]);
  });

  it("is undefined for a bridge that is not there", () => {
    assert.equal(flowBridgeOf(parseBridges(fixture("vsctl-multi.json")), "br-nope"), undefined);
  });
});
