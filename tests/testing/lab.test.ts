import { strict as assert } from "node:assert";
import { Bridge, FlowRule, FlowTable, PatchPair, RouterNamespace } from "../../sdk";
import { Lab, loadLab } from "../../testing";

const connection = { host: "192.0.2.7" };

describe("Lab finders", function () {
  this.timeout(60_000);
  let lab: Lab;
  before(async () => {
    lab = await loadLab(() => {
      const a = new Bridge("bridge-a", {
        connection,
        name: "br-a",
        ports: [{ name: "vm1", type: "internal", tag: 10 }],
      });
      const b = new Bridge("br-b", { connection });
      new PatchPair("ab", {
        connection,
        a: { bridge: a.name, port: "a-to-b", trunks: [10] },
        b: { bridge: b.name, port: "b-to-a", trunks: [10] },
      });
      new RouterNamespace("r1", {
        connection,
        interfaces: [{ name: "qr-1", bridge: b.name, tag: 10, addresses: ["10.0.0.1/24"] }],
      });
      new FlowRule("one", { connection, bridge: a.name, priority: 9, match: "in_port=a-to-b", actions: "NORMAL" });
      new FlowTable("many", {
        connection,
        bridge: b.name,
        flows: [
          { priority: 2, actions: "NORMAL" },
          { priority: 1, match: "arp", actions: "drop" },
        ],
      });
    }, { project: "p", stack: "s" });
  });

  it("finds a bridge by its OVS name, not its resource name", () => {
    assert.equal(lab.bridge("br-a").name, "bridge-a");
    assert.throws(() => lab.bridge("bridge-a"), /no bridge "bridge-a" in this lab \(bridges: br-a, br-b\)/);
  });

  it("lists every port on a bridge, whichever resource put it there", () => {
    assert.deepEqual(
      lab.ports("br-a").map((p) => [p.name, p.role.kind, p.tag ?? p.trunks]),
      [
        ["vm1", "bridge", 10],
        ["a-to-b", "patch", [10]],
      ],
    );
    assert.deepEqual(lab.ports("br-b").map((p) => [p.name, p.role.kind]), [["b-to-a", "patch"], ["qr-1", "router"]]);
  });

  it("lists a bridge's flows from FlowRules and FlowTables with their cookies and bundle lines", () => {
    const flows = lab.flows("br-b");
    assert.deepEqual(
      flows.map((f) => [f.resource, f.priority, f.match, f.actions]),
      [
        ["many", 2, "", "NORMAL"],
        ["many", 1, "arp", "drop"],
      ],
    );
    assert.equal(flows[0].cookie, flows[1].cookie, "one cookie per FlowTable");
    assert.equal(flows[1].line, `add table=0,priority=1,cookie=${flows[1].cookie},arp,actions=drop`);
    assert.notEqual(lab.flows("br-a")[0].cookie, flows[0].cookie);
  });

  it("finds patch pairs by either bridge, routers by namespace, resources by name and kind", () => {
    assert.deepEqual(lab.patchPairs("br-b").map((r) => r.name), ["ab"]);
    assert.equal(lab.router("r1").spec.interfaces[0].name, "qr-1");
    assert.equal(lab.resource("many", "flowTable").kind, "flowTable");
    assert.throws(
      () => lab.resource("nope"),
      /no resource "nope" in this lab \(resources: bridge-a, br-b, ab, r1, one, many\)/,
    );
  });

  it("lists every command in creation order, bridges first and flows last", () => {
    assert.deepEqual(
      lab.resources.map((r) => r.kind),
      ["bridge", "bridge", "patchPair", "routerNamespace", "flowRule", "flowTable"],
    );
    assert.equal(lab.commands.length, lab.resources.reduce((n, r) => n + r.commands.length, 0));
  });
});
