import { strict as assert } from "node:assert";
import { OWNER_KEY } from "../../core/schema/common";
import { bridgeSpec } from "../../core/schema/bridge";
import { declaredOvs, withoutOwned } from "../../testing/emptyHost";

describe("the empty host a lab is planned for", () => {
  const ovs = declaredOvs([
    {
      spec: bridgeSpec.parse({
        name: "br-int",
        failMode: "secure",
        ports: [{ name: "vm1", type: "internal", tag: 3 }],
      }),
      owner: "p/s/Bridge/br-int",
    },
    { spec: bridgeSpec.parse({ name: "br-ex", protocols: ["OpenFlow13"] }), owner: "p/s/Bridge/br-ex" },
  ]);

  it("holds every declared bridge as OVS would after its create, ports marked with their owner", () => {
    const brInt = ovs.bridges.find((b) => b.name === "br-int")!;
    assert.equal(brInt.failMode, "secure");
    assert.deepEqual(brInt.ports, [
      {
        name: "vm1",
        type: "internal",
        tag: 3,
        trunks: [],
        options: {},
        externalIds: { [OWNER_KEY]: "p/s/Bridge/br-int" },
      },
    ]);
    assert.deepEqual(ovs.bridges.find((b) => b.name === "br-ex")!.protocols, ["OpenFlow13"]);
    assert.equal(ovs.portBridge.get("vm1"), "br-int");
  });

  it("has none of a resource's own objects when that resource is planned", () => {
    const forBrInt = withoutOwned(ovs, "p/s/Bridge/br-int");
    assert.deepEqual(forBrInt.bridges.map((b) => b.name), ["br-ex"]);
    assert.equal(forBrInt.portBridge.has("vm1"), false);
    assert.equal(withoutOwned(ovs, "p/s/FlowRule/x").bridges.length, 2, "a flow finds both bridges");
  });
});
