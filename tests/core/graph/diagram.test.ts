import { strict as assert } from "node:assert";
import { flowLine, labDiagram } from "../../../core/graph/diagram";
import { flowSpec } from "../../../core/schema/flow";
import { smallLab, twoHostLab } from "./fixture";

describe("labDiagram", () => {
  const diagram = labDiagram(smallLab());
  const box = (key: string) => diagram.boxes.find((b) => b.key === key)!;

  it("draws a box per bridge with its settings and a row per port saying what it is and its VLAN", () => {
    assert.equal(box("bridge:br-int").subtitle, "secure · netdev");
    assert.deepEqual(box("bridge:br-int").rows.map((r) => `${r.label}: ${r.detail}`), [
      "vm1: internal · tag 101", "int-br-ex: patch ⇄ phy-br-ex", "qr-a: router port · tag 101",
    ]);
  });

  it("lists a bridge's flows in the order OVS tries them: by table, highest priority first", () => {
    assert.deepEqual(box("bridge:br-ex").sections, [{
      title: "3 flows (t table, p priority: match → actions)",
      lines: ["t0 p4 in_port=phy-br-ex,dl_vlan=1 → strip_vlan,NORMAL", "t0 p1 * → NORMAL", "t1 p9 * → drop"],
    }]);
  });

  it("cuts a long flow list short and says how many more there are", () => {
    const many = labDiagram(
      {
        ...smallLab(),
        flowRule: [],
        flowTable: [
          {
            bridge: "br-ex",
            flows: Array.from({ length: 12 }, (_, i) => flowSpec.parse({ priority: i + 1, actions: "drop" })),
          },
        ],
      },
      { maxFlows: 3 },
    );
    const lines = many.boxes.find((b) => b.key === "bridge:br-ex")!.sections[0].lines;
    assert.deepEqual(lines, ["t0 p12 * → drop", "t0 p11 * → drop", "t0 p10 * → drop", "+9 more"]);
  });

  it("draws a router box with its interfaces' addresses, routes and NAT", () => {
    const router = box("router:qrouter-1");
    assert.deepEqual(router.rows.map((r) => `${r.label}: ${r.detail}`), ["qr-a: 10.0.0.1/24", "qg-b: 172.24.4.2/24"]);
    assert.deepEqual(router.sections, [
      { title: "routes", lines: ["default via 172.24.4.1"] },
      { title: "NAT", lines: ["SNAT 10.0.0.0/24 → 172.24.4.2 (qg-b)", "FIP 172.24.4.10 ⇄ 10.0.0.5"] },
    ]);
  });

  it("links the two ends of a patch pair, and each router interface to its bridge port", () => {
    assert.deepEqual(
      diagram.links.map((l) => `${l.kind} ${l.from.box}/${l.from.row} ${l.to.box}/${l.to.row} ${l.label}`),
      [
        "patch bridge:br-int/int-br-ex bridge:br-ex/phy-br-ex patch · all VLANs (trunk)",
        "router bridge:br-int/qr-a router:qrouter-1/qr-a ",
        "router bridge:br-ex/qg-b router:qrouter-1/qg-b ",
      ],
    );
  });

  it("marks a patch pair whose ends have neither tag nor trunks as carrying all VLANs, and names a restricted one's VLANs", () => {
    const lab = smallLab();
    const restricted = labDiagram({
      ...lab,
      patchPair: [
        {
          ...lab.patchPair[0],
          a: { ...lab.patchPair[0].a, trunks: [10, 20] },
          b: { ...lab.patchPair[0].b, trunks: [10, 20] },
        },
      ],
    });
    assert.equal(diagram.links[0].label, "patch · all VLANs (trunk)");
    assert.equal(restricted.links[0].label, "patch · trunks 10,20");
  });

  it("gives each port and router interface its access VLAN and lists the lab's VLANs for the legend", () => {
    assert.deepEqual(diagram.vlans, [101]);
    assert.deepEqual(box("bridge:br-int").rows.map((r) => r.vlan), [101, undefined, 101]);
    assert.deepEqual(box("router:qrouter-1").rows.map((r) => r.vlan), [101, undefined]);
  });

  it("shows a router's upstream gateway, its default route's next hop, under its name", () => {
    assert.equal(box("router:qrouter-1").subtitle, "namespace · upstream gateway 172.24.4.1");
    const lab = smallLab();
    const noDefault = labDiagram({ ...lab, routerNamespace: [{ ...lab.routerNamespace[0], routes: [] }] });
    assert.equal(noDefault.boxes.find((b) => b.kind === "router")!.subtitle, "namespace");
  });

  it("writes timeouts into a flow's line", () => {
    assert.equal(
      flowLine(flowSpec.parse({ priority: 5, match: "arp", actions: "NORMAL", idleTimeout: 30 })),
      "t0 p5 arp → NORMAL (idle 30s)",
    );
  });

  it("draws each host's bridges apart, the same-named br-int once per host, and lists the hosts", () => {
    const two = labDiagram(twoHostLab());
    assert.deepEqual(two.hosts, ["root@node-a:22", "root@node-b:22"]);
    assert.deepEqual(two.boxes.map((b) => `${b.host} ${b.title} ${b.rows.map((r) => r.label).join(",")}`), [
      "root@node-a:22 br-int vm-a",
      "root@node-a:22 br-tun vx-b,vx-far",
      "root@node-b:22 br-int vm-b",
      "root@node-b:22 br-tun vx-a",
    ]);
    assert.deepEqual(diagram.hosts, [], "a lab on one host has no host groups");
  });

  it("joins tunnel ports that face each other across hosts, once, with type, key, VNIs and underlay ends", () => {
    const tunnels = labDiagram(twoHostLab()).links.filter((l) => l.kind === "tunnel");
    assert.deepEqual(tunnels, [{
      from: { box: "bridge:br-tun@root@node-a:22", row: "vx-b" },
      to: { box: "bridge:br-tun@root@node-b:22", row: "vx-a" },
      kind: "tunnel",
      label: "vxlan key=flow · VNI 100 · 10.250.0.1 ⇄ 10.250.0.2",
    }], "no link for vx-far: no host of the lab has 10.250.0.9");
  });

  it("titles flows by their resource when the lab names its resources, and maps VLANs to the VNIs the flows give them", () => {
    const two = labDiagram(twoHostLab());
    const tun = two.boxes.find((b) => b.key === "bridge:br-tun@root@node-b:22")!;
    assert.deepEqual(
      tun.sections.map((s) => s.title),
      ['FlowTable "b-flows": 2 flows (t table, p priority: match → actions)'],
    );
    assert.deepEqual(two.vnis, { 1: [100] });
    assert.deepEqual(two.vlans, [1]);
  });
});
