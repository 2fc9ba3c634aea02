// examples/multi-tenant under Pulumi mocks, tested the way a user of ovslab tests a lab of
// their own: ovslab/testing runs the program with no host and no engine. The program itself
// loads the built package (`import "ovslab"`: npm test builds first; else `npm run build`).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { drawLab } from "../../render";
import { Lab, loadLab } from "../../testing"; // in a lab of your own: from "ovslab/testing"

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "multi-tenant");
const ROUTER = "qrouter-4f1c2a9e-7b3d-4e5a-9c8f-0d2e6b1a3c57";

describe("examples/multi-tenant under mocks", () => {
  let lab: Lab;
  before(async () => {
    lab = await loadLab(EXAMPLE);
  });

  it("puts each tenant's servers and its router port on the tenant's VLAN of br-int", () => {
    const tags = Object.fromEntries(lab.ports("br-int").map((p) => [p.name, p.tag]));
    assert.deepEqual(tags, {
      "vm-a1": 101, "vm-a2": 101, "vm-b1": 102, "vm-c1": 103,
      "qr-tenant-a": 101, "qr-tenant-b": 102, "qr-tenant-c": 103,
    });
  });

  it("keeps br-int secure and switches it with two flows: multicast sources dropped, the rest NORMAL", () => {
    assert.equal(lab.bridge("br-int").spec.failMode, "secure");
    assert.deepEqual(
      lab.flows("br-int").map((f) => `priority=${f.priority} ${f.match} -> ${f.actions}`),
      ["priority=100 dl_src=01:00:00:00:00:00/01:00:00:00:00:00 -> drop", "priority=1  -> NORMAL"],
    );
    assert.deepEqual(lab.flows("br-ex"), [], "br-ex switches with OVS's own NORMAL flow only");
  });

  it("gives the router one gateway address per tenant subnet and the external address on br-ex", () => {
    const router = lab.router(ROUTER).spec;
    assert.deepEqual(
      router.interfaces.map((i) => `${i.name}@${i.bridge}:${i.tag ?? "-"} ${i.addresses.join(",")}`),
      [
        "qr-tenant-a@br-int:101 10.10.1.1/24",
        "qr-tenant-b@br-int:102 10.10.2.1/24",
        "qr-tenant-c@br-int:103 10.10.3.1/24",
        "qg-external@br-ex:- 203.0.113.10/24",
      ],
    );
    assert.deepEqual(router.routes, [{ destination: "default", via: "203.0.113.1" }]);
  });

  it("translates every tenant subnet to the gateway address on the way out", () => {
    assert.deepEqual(lab.router(ROUTER).spec.snat, [
      { interface: "qg-external", sources: ["10.10.1.0/24", "10.10.2.0/24", "10.10.3.0/24"], toSource: "203.0.113.10" },
    ]);
  });

  it("maps tenant A's two floating IPs 1:1, in DNAT and SNAT rules of the router's own chains", () => {
    const nat = lab.router(ROUTER).commands.find((c) => c.includes("iptables-restore"))!;
    for (const [fip, fixed] of [["203.0.113.21", "10.10.1.5"], ["203.0.113.22", "10.10.1.6"]]) {
      assert.ok(nat.includes(`-A ovslab-PREROUTING -d ${fip}/32 -j DNAT --to-destination ${fixed}`), nat);
      assert.ok(nat.includes(`-A ovslab-POSTROUTING -s ${fixed}/32 -o qg-external -j SNAT --to-source ${fip}`), nat);
    }
    assert.deepEqual(lab.outputs.floatingIpMap, { "203.0.113.21": "10.10.1.5", "203.0.113.22": "10.10.1.6" });
  });

  it("draws the picture its README shows (to redraw: ovslab graph examples/multi-tenant --out examples/multi-tenant/lab.svg)", async () => {
    const svg = await drawLab(lab.declared, "svg", `${lab.project}/${lab.stack}`);
    assert.ok(
      svg === fs.readFileSync(path.join(EXAMPLE, "lab.svg"), "utf8"),
      "examples/multi-tenant/lab.svg is out of date",
    );
  });

  it("builds the bridges first, then the router, and the flows last", () => {
    assert.deepEqual(
      lab.resources.map((r) => `${r.type} ${r.name}`),
      ["Bridge br-int", "Bridge br-ex", `RouterNamespace ${ROUTER}`, "FlowTable br-int-flows"],
    );
  });
});
