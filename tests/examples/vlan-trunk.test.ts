// examples/vlan-trunk under Pulumi mocks, tested the way a user of ovslab tests a lab of
// their own (see multi-tenant.test.ts).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { drawLab } from "../../render";
import { Lab, loadLab } from "../../testing"; // in a lab of your own: from "ovslab/testing"

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "vlan-trunk");

describe("examples/vlan-trunk under mocks", () => {
  let lab: Lab;
  before(async () => {
    lab = await loadLab(EXAMPLE);
  });

  it("gives each host on the access switch the access port of its VLAN", () => {
    const hosts = lab.ports("br-access").filter((p) => p.role.kind === "bridge");
    assert.deepEqual(
      hosts.map((p) => [p.name, p.type, p.tag]),
      [
        ["host10", "internal", 10],
        ["host20", "internal", 20],
        ["host30", "internal", 30],
      ],
    );
  });

  it("carries exactly VLANs 10, 20 and 30 over the trunk, tagged at both ends", () => {
    const [trunk] = lab.patchPairs("br-access");
    assert.deepEqual(trunk.spec, {
      a: { bridge: "br-access", port: "trunk-access", trunks: [10, 20, 30], peer: "trunk-core" },
      b: { bridge: "br-core", port: "trunk-core", trunks: [10, 20, 30], peer: "trunk-access" },
    });
  });

  it("routes between the VLANs through one gateway interface per VLAN on the core switch", () => {
    const gw = lab.router("vlan-gw").spec;
    assert.deepEqual(gw.interfaces.map((i) => `${i.name}@${i.bridge}:${i.tag} ${i.addresses.join(",")}`), [
      "gw10@br-core:10 10.0.10.1/24", "gw20@br-core:20 10.0.20.1/24", "gw30@br-core:30 10.0.30.1/24",
    ]);
    assert.equal(gw.sysctls["net.ipv4.ip_forward"], "1");
  });

  it("lets VLAN 30 hosts reach only their gateway from the trunk", () => {
    assert.deepEqual(
      lab.flows("br-core").map((f) => `priority=${f.priority} ${f.match} -> ${f.actions}`),
      [
        "priority=100 in_port=trunk-core,dl_vlan=30,ip,nw_dst=10.0.30.1 -> NORMAL",
        "priority=90 in_port=trunk-core,dl_vlan=30,ip -> drop",
      ],
    );
  });

  it("draws the picture its README shows (to redraw: ovslab graph examples/vlan-trunk --out examples/vlan-trunk/lab.svg)", async () => {
    const svg = await drawLab(lab.declared, "svg", `${lab.project}/${lab.stack}`);
    assert.ok(
      svg === fs.readFileSync(path.join(EXAMPLE, "lab.svg"), "utf8"),
      "examples/vlan-trunk/lab.svg is out of date",
    );
  });

  it("creates the trunk ports before the flows that name them", () => {
    const order = lab.resources.map((r) => r.name);
    assert.ok(order.indexOf("trunk") < order.indexOf("core-flows"), order.join(", "));
  });
});
