import { strict as assert } from "node:assert";
import { bridgeNames, flowGroupsOn, flowsOn, hostsOf, onHost, portsOn } from "../../../core/graph/declared";
import { smallLab, twoHostLab } from "./fixture";

describe("a declared lab seen from its bridges", () => {
  const lab = smallLab();

  it("puts a bridge's own ports, patch pair ends and router interfaces on it, with their VLANs", () => {
    assert.deepEqual(portsOn(lab, "br-int"), [
      { bridge: "br-int", name: "vm1", type: "internal", tag: 101, role: { kind: "bridge" } },
      {
        bridge: "br-int",
        name: "int-br-ex",
        type: "patch",
        role: { kind: "patch", peerBridge: "br-ex", peerPort: "phy-br-ex" },
      },
      {
        bridge: "br-int",
        name: "qr-a",
        type: "internal",
        tag: 101,
        role: { kind: "router", namespace: "qrouter-1", addresses: ["10.0.0.1/24"] },
      },
    ]);
  });

  it("collects a bridge's flows from FlowRules and FlowTables", () => {
    assert.deepEqual(
      flowsOn(lab, "br-ex").map((f) => [f.table, f.priority, f.actions]),
      [
        [0, 4, "strip_vlan,NORMAL"],
        [0, 1, "NORMAL"],
        [1, 9, "drop"],
      ],
    );
    assert.deepEqual(flowsOn(lab, "br-int"), []);
  });

  it("names declared bridges first, then bridges only referenced", () => {
    const lab2 = { ...smallLab(), bridge: smallLab().bridge.slice(1) };
    assert.deepEqual(bridgeNames(lab2), ["br-ex", "br-int"]);
  });

  it("knows the hosts of a lab whose resources say where they are, and shows one host's part alone", () => {
    const lab = twoHostLab();
    assert.deepEqual(hostsOf(lab), ["root@node-a:22", "root@node-b:22"]);
    assert.deepEqual(hostsOf(smallLab()), []);
    const b = onHost(lab, "root@node-b:22");
    assert.deepEqual(portsOn(b, "br-int").map((p) => p.name), ["vm-b"]);
    assert.deepEqual(portsOn(b, "br-tun").map((p) => p.name), ["vx-a"]);
    assert.deepEqual(b.placements?.flowTable, [{ host: "root@node-b:22", name: "b-flows" }]);
  });

  it("groups a bridge's flows by the resource declaring them, named when the lab names its resources", () => {
    const b = onHost(twoHostLab(), "root@node-b:22");
    assert.deepEqual(flowGroupsOn(b, "br-tun").map((g) => [g.source, g.flows.length]), [['FlowTable "b-flows"', 2]]);
    const unnamed = flowGroupsOn(smallLab(), "br-ex").map((g) => [g.source, g.flows.length]);
    assert.deepEqual(unnamed, [[undefined, 1], [undefined, 2]]);
  });
});
