// Pairs of flows that OVS holds as the same flow or as two different ones, each verified
// against the real OVS of a lab host, and ovslab agreeing on each. Paths:
//   [ovs]      `ovs-ofctl` on the host: add the first flow, dump; add the second instead, dump;
//              the same flow to OVS exactly when the two dumps are the same text
//   [provider] a FlowRule declaring the first flow is created over SSH; the host's flow is
//              replaced by hand with the second (our cookie kept, unless the pair is about
//              the cookie); the provider's diff must report a change exactly when OVS differs
//   [grammar]  ovslab's own canonical form (used without a host: mocks, `ovslab plan`): counted
import { strict as assert } from "assert";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { closeAll } from "../../../transport/pool";
import { derivedCookie } from "../../../core/openflow/cookie";
import { parseFlowDump } from "../../../core/live/flows";
import { canonicalFlow } from "../../../core/plan/flows";
import { flowSpec } from "../../../core/schema/flow";

interface Flow {
  table?: number;
  priority?: number;
  match?: string;
  actions: string;
  idleTimeout?: number;
  /** The second flow is put there without our cookie (cookie 0), as a hand-written flow would be. */
  noCookie?: boolean;
}
type Pair = [what: string, a: Flow, b: Flow, same: boolean];

const BRIDGE = "br-p";
/** `P1` stands for p1's port number, read from the bridge once it exists. */
const PAIRS: Pair[] = [
  ["dl_type=0x0800 is ip", { match: "dl_type=0x0800", actions: "drop" }, { match: "ip", actions: "drop" }, true],
  ["output:N is a bare N", { actions: "output:P1" }, { actions: "P1" }, true],
  [
    "a port name is its number",
    { match: "in_port=p1", actions: "drop" },
    { match: "in_port=P1", actions: "drop" },
    true,
  ],
  [
    "a quoted port name is the name",
    { match: 'in_port="p1"', actions: "output:p2" },
    { match: "in_port=p1", actions: "output:p2" },
    true,
  ],
  [
    "mod_vlan_vid is push_vlan + set_field",
    { actions: "mod_vlan_vid:5,NORMAL" },
    { actions: "push_vlan:0x8100,set_field:4101->vlan_vid,NORMAL" },
    true,
  ],
  [
    "strip_vlan is pop_vlan",
    { match: "dl_vlan=1", actions: "strip_vlan,NORMAL" },
    { match: "dl_vlan=1", actions: "pop_vlan,NORMAL" },
    true,
  ],
  ["hex and decimal", { match: "dl_vlan=0x1", actions: "drop" }, { match: "dl_vlan=1", actions: "drop" }, true],
  [
    "a dotted mask is its prefix",
    { match: "ip,nw_src=10.0.0.5/255.255.255.0", actions: "drop" },
    { match: "ip,nw_src=10.0.0.0/24", actions: "drop" },
    true,
  ],
  [
    "tcp is ip,nw_proto=6",
    { match: "tcp,tp_dst=80", actions: "drop" },
    { match: "ip,nw_proto=6,tp_dst=0x50", actions: "drop" },
    true,
  ],
  [
    "vlan_tci=0 is 0x0000/0x1fff",
    { match: "vlan_tci=0", actions: "drop" },
    { match: "vlan_tci=0x0000/0x1fff", actions: "drop" },
    true,
  ],
  [
    "a /0 IPv4 prefix is no field",
    { match: "ip,nw_dst=0.0.0.0/0", actions: "drop" },
    { match: "ip", actions: "drop" },
    true,
  ],
  [
    "a /0 IPv6 prefix is no field",
    { match: "ipv6,ipv6_src=::/0", actions: "drop" },
    { match: "ipv6", actions: "drop" },
    true,
  ],
  [
    "MAC case and leading zeros",
    { match: "dl_src=0:1:2:3:4:AA", actions: "drop" },
    { match: "dl_src=00:01:02:03:04:aa", actions: "drop" },
    true,
  ],
  ["reserved ports in any case", { actions: "normal" }, { actions: "NORMAL" }, true],
  ["drop is an empty action list", { actions: "drop" }, { actions: "" }, true],
  [
    "arp nw_src is arp_spa",
    { match: "arp,nw_src=10.0.0.1", actions: "drop" },
    { match: "arp,arp_spa=10.0.0.1", actions: "drop" },
    true,
  ],
  [
    "tcp_dst is tp_dst",
    { match: "tcp,tcp_dst=22", actions: "drop" },
    { match: "tcp,tp_dst=22", actions: "drop" },
    true,
  ],
  [
    "nw_tos is ip_dscp << 2",
    { match: "ip,nw_tos=16", actions: "drop" },
    { match: "ip,ip_dscp=4", actions: "drop" },
    true,
  ],
  [
    "ct_state flags in any order",
    { match: "ip,ct_state=+trk+est", actions: "drop" },
    { match: "ip,ct_state=+est+trk", actions: "drop" },
    true,
  ],
  ["the bridge's own port is LOCAL", { actions: `output:${BRIDGE}` }, { actions: "LOCAL" }, true],
  [
    "mod_nw_src is set_field ip_src",
    { match: "ip", actions: "mod_nw_src:10.0.0.1" },
    { match: "ip", actions: "set_field:10.0.0.1->ip_src" },
    true,
  ],
  [
    "a bit range is a mask",
    { match: "tcp,tp_src[6..10]=19", actions: "drop" },
    { match: "tcp,tp_src=0x4c0/0x7c0", actions: "drop" },
    true,
  ],
  [
    "fields in any order",
    { match: "tcp,nw_src=10.0.0.1,tp_dst=80", actions: "drop" },
    { match: "tp_dst=80,tcp,nw_src=10.0.0.1", actions: "drop" },
    true,
  ],
  [
    "a space after a comma",
    { match: "tcp, tp_dst=80", actions: "drop" },
    { match: "tcp,tp_dst=80", actions: "drop" },
    true,
  ],
  ["port number 123 is not the port named 123", { actions: "output:123" }, { actions: 'output:"123"' }, false],
  [
    "in_port 123 is not in_port named 123",
    { match: "in_port=123", actions: "drop" },
    { match: 'in_port="123"', actions: "drop" },
    false,
  ],
  [
    "a /24 is not a /25",
    { match: "ip,nw_src=10.0.0.0/24", actions: "drop" },
    { match: "ip,nw_src=10.0.0.0/25", actions: "drop" },
    false,
  ],
  [
    "any VLAN is not VLAN 1",
    { match: "vlan_tci=0x1000/0x1000", actions: "drop" },
    { match: "vlan_tci=0x1001/0x1fff", actions: "drop" },
    false,
  ],
  ["table 0 is not table 1", { table: 0, actions: "drop" }, { table: 1, actions: "drop" }, false],
  ["action order matters", { actions: "NORMAL,output:p1" }, { actions: "output:p1,NORMAL" }, false],
  ["priority 10 is not 11", { priority: 10, actions: "drop" }, { priority: 11, actions: "drop" }, false],
  ["an idle timeout is part of the flow", { actions: "drop" }, { actions: "drop", idleTimeout: 10 }, false],
  ["VLAN 1 is not VLAN 2", { match: "dl_vlan=1", actions: "drop" }, { match: "dl_vlan=2", actions: "drop" }, false],
  ["drop is not NORMAL", { actions: "drop" }, { actions: "NORMAL" }, false],
  [
    "our cookie is not cookie 0",
    { match: "ip", actions: "drop" },
    { match: "ip", actions: "drop", noCookie: true },
    false,
  ],
  ["ip is not ipv6", { match: "ip", actions: "drop" }, { match: "ipv6", actions: "drop" }, false],
  [
    "a masked port is not the port",
    { match: "tcp,tp_dst=80", actions: "drop" },
    { match: "tcp,tp_dst=80/0xfff0", actions: "drop" },
    false,
  ],
  [
    "multicast bit is not the address",
    { match: "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00", actions: "drop" },
    { match: "dl_dst=01:00:00:00:00:00", actions: "drop" },
    false,
  ],
];

describe("pairs of flows: ovslab holds two flows as one exactly when OVS does @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let p1 = "";
  const ofctl = (...args: string[]) => lab.sh(["ovs-ofctl", "-O", "OpenFlow14", ...args]);
  const bundle = (lines: string[]) =>
    lab.sh(["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", BRIDGE, "-"], lines.join("\n") + "\n");
  const fill = (f: Flow): Flow => ({
    ...f,
    match: f.match?.replace(/\bP1\b/g, p1),
    actions: f.actions.replace(/\bP1\b/g, p1),
  });
  const line = (f: Flow, cookie: string) => {
    const parts = [`table=${f.table ?? 0}`, `priority=${f.priority ?? 32768}`, `cookie=${f.noCookie ? "0" : cookie}`];
    if (f.idleTimeout) parts.push(`idle_timeout=${f.idleTimeout}`);
    if (f.match) parts.push(f.match);
    return `add ${[...parts, `actions=${f.actions}`].join(",")}`;
  };

  before(async () => {
    lab = await startLabHost();
    const ports = ["p1", "p2", "123"].map((name) => ({ name, type: "internal" }));
    const checked = await call(
      "bridge",
      "check",
      {},
      { name: BRIDGE, datapathType: "netdev", ports, connection: lab.connection, owner: "test/pairs/br" },
    );
    assert.equal(checked.failures, undefined, JSON.stringify(checked.failures));
    await call("bridge", "create", checked.inputs);
    p1 = (await lab.sh(["ovs-vsctl", "get", "Interface", "p1", "ofport"])).trim();
    assert.match(p1, /^[1-9]\d*$/);
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it(`holds ${PAIRS.length} pairs as OVS 3.1 does: the table's expectation, OVS and the provider agree on each`, async () => {
    assert.ok(PAIRS.length >= 30);
    const wrong: string[] = [];
    let grammarAgrees = 0;
    for (const [i, [what, rawA, rawB, expected]] of PAIRS.entries()) {
      const [a, b] = [fill(rawA), fill(rawB)];
      // [ovs] The truth: the two flows dumped by OVS, each alone on the bridge.
      const dumped: string[] = [];
      for (const f of [a, b]) {
        await ofctl("del-flows", BRIDGE);
        await bundle([line(f, "0x5")]);
        dumped.push(await ofctl("--no-stats", "--no-names", "dump-flows", BRIDGE));
      }
      await ofctl("del-flows", BRIDGE);
      const ovsSame = dumped[0] === dumped[1];
      if (ovsSame !== expected)
        wrong.push(`${what}: OVS holds them as ${ovsSame ? "the same" : "different"}:\n${dumped.join("")}`);

      // [provider] A FlowRule of the first flow; the host's flow replaced by hand with the second.
      const owner = `test/pairs/pair${i}`;
      const cookie = derivedCookie("FlowRule", owner);
      const { noCookie: _unused, ...declared } = a;
      const props = { bridge: BRIDGE, ...declared, connection: lab.connection, owner };
      const checked = await call("flowRule", "check", {}, props);
      if (checked.failures) {
        wrong.push(`${what}: check refused ${JSON.stringify(a)}: ${JSON.stringify(checked.failures)}`);
        continue;
      }
      const state = (await call("flowRule", "create", checked.inputs)).outs;
      await bundle([`delete cookie=${cookie}/-1`, line(b, cookie)]);
      // A flow of another cookie in our flow's place is a change the provider refuses to paper over.
      const changes = await call(
        "flowRule",
        "diff",
        "id",
        state,
        (await call("flowRule", "check", state, props)).inputs,
      ).then(
        (r: { changes: boolean }) => r.changes,
        (e: Error) => (e.name === "OwnershipConflict" ? true : Promise.reject(e)),
      );
      if (changes === ovsSame)
        wrong.push(
          `${what}: the provider's diff says ${changes ? "changed" : "the same"}, OVS says ${ovsSame ? "the same" : "different"}`,
        );
      await call("flowRule", "delete", "id", state);
      await ofctl("del-flows", BRIDGE);

      // [grammar] ovslab's own canonical form of the first flow and of OVS's dump of the second.
      const [live] = parseFlowDump(dumped[1]);
      const ports = { bridge: BRIDGE, byNumber: new Map([[Number(p1), "p1"]]) };
      const spec = flowSpec.safeParse({
        table: a.table,
        priority: a.priority,
        match: a.match,
        actions: a.actions,
        idleTimeout: a.idleTimeout,
      });
      const grammarSame =
        spec.success && !!live && !b.noCookie && canonicalFlow(spec.data, ports) === canonicalFlow(live, ports);
      if (grammarSame === ovsSame) grammarAgrees++;
    }
    console.log(
      `      ([grammar] ovslab's own canonical form, used without a host, agrees with OVS on ${grammarAgrees} of ${PAIRS.length} pairs)`,
    );
    assert.deepEqual(wrong, [], wrong.join("\n"));
  });
});
