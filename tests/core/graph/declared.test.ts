import { strict as assert } from "node:assert";
import { bridgeNames, flowsOn, portsOn } from "../../../core/graph/declared";
import { smallLab } from "./fixture";

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
});
