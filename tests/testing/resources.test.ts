import { strict as assert } from "node:assert";
import { createdState, KIND_ORDER, labResources } from "../../testing/resources";
import { Registration } from "../../testing/run";

const connection = { host: "192.0.2.7" };
const registration = (type: string, name: string, inputs: Record<string, unknown>): Registration => ({
  type: `pulumi-nodejs:dynamic/ovslab:${type}`, name, inputs: { ...inputs, connection }, custom: true, declared: 0,
});

describe("labResources", () => {
  it("plans each kind in creation order, whatever order the program registered them in", () => {
    const { resources, problems } = labResources([
      registration("FlowRule", "r", { bridge: "br0", actions: "NORMAL", owner: "p/s/FlowRule/r" }),
      registration("Bridge", "br0", { name: "br0", owner: "p/s/Bridge/br0" }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(resources.map((r) => r.kind), ["bridge", "flowRule"]);
    assert.deepEqual(resources[0].commands, [
      "ovs-vsctl --may-exist add-br br0 -- set Bridge br0 external_ids:ovslab-owner=p/s/Bridge/br0",
    ]);
  });

  it("reports an ovslab type that no kind has, instead of leaving the resource out", () => {
    const { resources, problems } = labResources([
      registration("Bridje", "br0", { name: "br0", owner: "p/s/Bridje/br0" }),
    ]);
    assert.deepEqual(resources, []);
    assert.deepEqual(problems, [
      'pulumi-nodejs:dynamic/ovslab:Bridje "br0": no ovslab kind has this type ' +
        "(kinds: Bridge, PatchPair, FlowRule, FlowTable, RouterNamespace)",
    ]);
  });

  it("leaves resources of other packages alone", () => {
    const other = { type: "command:remote:Command", name: "c", inputs: {}, custom: true, declared: 0 };
    assert.deepEqual(labResources([other]), { resources: [], problems: [] });
    assert.deepEqual(createdState(other), { id: "c-id", state: {} });
  });

  it("orders kinds as their definitions say: bridges, patch pairs, routers, flows", () => {
    assert.deepEqual(KIND_ORDER, { bridge: 0, patchPair: 1, routerNamespace: 2, flowRule: 3, flowTable: 3 });
  });
});
