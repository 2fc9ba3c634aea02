import { strict as assert } from "node:assert";
import { createdState, KIND_ORDER, labResources } from "../../testing/resources";
import { Registration } from "../../testing/run";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

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

  it("plans a FlowTable whose rules are a file with the file's rules, as ovslab plan and graph show them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-resources-"));
    try {
      const file = path.join(dir, "flows.json");
      fs.writeFileSync(file, JSON.stringify([{ priority: 7, match: "dl_vlan=3", actions: "drop" }]));
      const { resources, problems } = labResources([
        registration("Bridge", "br0", { name: "br0", protocols: ["OpenFlow14"], owner: "p/s/Bridge/br0" }),
        registration("FlowTable", "t", { bridge: "br0", flowsFile: file, owner: "p/s/FlowTable/t" }),
      ]);
      assert.deepEqual(problems, []);
      const table = resources.find((r) => r.kind === "flowTable")!;
      assert.equal((table.spec as { flows: unknown[] }).flows.length, 1);
      assert.match(table.commands.join("\n"), /add table=0,priority=7,cookie=0x[0-9a-f]+,dl_vlan=3,actions=drop/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports an ovslab type that no kind has, instead of leaving the resource out", () => {
    const { resources, problems } = labResources([
      registration("Bridje", "br0", { name: "br0", owner: "p/s/Bridje/br0" }),
    ]);
    assert.deepEqual(resources, []);
    assert.deepEqual(problems, [
      'pulumi-nodejs:dynamic/ovslab:Bridje "br0": no ovslab kind has this type ' +
        "(kinds: Bridge, PatchPair, FlowRule, FlowTable, RouterNamespace, TunnelPort)",
    ]);
  });

  it("leaves resources of other packages alone", () => {
    const other = { type: "command:remote:Command", name: "c", inputs: {}, custom: true, declared: 0 };
    assert.deepEqual(labResources([other]), { resources: [], problems: [] });
    assert.deepEqual(createdState(other), { id: "c-id", state: {} });
  });

  it("orders kinds as their definitions say: bridges, patch pairs, routers, flows", () => {
    assert.deepEqual(KIND_ORDER, {
      bridge: 0,
      patchPair: 1,
      routerNamespace: 2,
      flowRule: 3,
      flowTable: 3,
      tunnelPort: 1,
    });
  });
});
