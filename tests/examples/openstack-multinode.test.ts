// examples/openstack-multinode under Pulumi mocks: which host gets what, checked on the
// specs and commands the program compiles to.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { labDiagram } from "../../core/graph/diagram";
import { drawLab } from "../../render";
import { Lab, loadLab } from "../../testing";

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "openstack-multinode");
const onHost = (lab: Lab, host: string) => lab.resources.filter((r) => r.host === `root@${host}:22`);

describe("examples/openstack-multinode under mocks", () => {
  let lab: Lab;
  before(async () => {
    lab = await loadLab(EXAMPLE);
  });

  it("puts each resource on its host: br-ex and the router on the network node, the VMs on the computes", () => {
    const names = (host: string) => onHost(lab, host).map((r) => r.name).sort();
    assert.deepEqual(names("network"), [
      "mesh-network-flows",
      "mesh-network-patch",
      "mesh-network-to-compute-1",
      "mesh-network-to-compute-2",
      "mesh-network-tun",
      "network-br-ex",
      "network-br-int",
      "router",
      "vm-upstream",
    ]);
    assert.deepEqual(names("compute-2"), [
      "compute-2-br-int",
      "mesh-compute-2-flows",
      "mesh-compute-2-patch",
      "mesh-compute-2-to-compute-1",
      "mesh-compute-2-to-network",
      "mesh-compute-2-tun",
      "vm-a2",
      "vm-b2",
    ]);
    assert.equal(lab.resources.length, 9 + 8 + 8);
  });

  it("builds a full mesh: one VXLAN port per peer, key=flow, local_ip the host's own underlay address", () => {
    const ports = lab.ofKind("tunnelPort").filter((r) => r.host === "root@compute-1:22").map((r) => r.spec);
    assert.deepEqual(ports.map((p) => [p.name, p.remoteIp, p.localIp, p.key]), [
      ["vxlan-0afa000b", "10.250.0.11", "10.250.0.12", "flow"],
      ["vxlan-0afa000d", "10.250.0.13", "10.250.0.12", "flow"],
    ]);
    const [create] = lab.resource("mesh-compute-1-to-network").commands;
    assert.match(
      create,
      /add-port br-tun vxlan-0afa000b .* type=vxlan options:remote_ip=10\.250\.0\.11 options:local_ip=10\.250\.0\.12 options:key=flow/,
    );
  });

  it("maps each tenant's local VLAN to its VNI and back on every br-tun, and keeps the tenants apart", () => {
    for (const host of ["network", "compute-1", "compute-2"]) {
      const flows = lab.resource(`mesh-${host}-flows`, "flowTable").spec as {
        flows: Array<{ table: number; match?: string; actions: string }>;
      };
      const fromTunnel = flows.flows.filter((f) => f.table === 4 && f.match).map((f) => `${f.match} ${f.actions}`);
      assert.deepEqual(fromTunnel, [
        "tun_id=100 mod_vlan_vid:1,resubmit(,10)",
        "tun_id=200 mod_vlan_vid:2,resubmit(,10)",
      ]);
    }
    const tags = Object.fromEntries(
      lab
        .ofKind("routerNamespace")
        .filter((r) => r.name.startsWith("vm-") && r.name !== "vm-upstream")
        .map((r) => [r.name, r.spec.interfaces[0].tag]),
    );
    assert.deepEqual(tags, { "vm-a1": 1, "vm-b1": 2, "vm-a2": 1, "vm-b2": 2 });
  });

  it("routes tenant A out of the network node with SNAT and a floating IP to a1 on compute-1", () => {
    const router = lab.router("qrouter-5e1b0d3c-7a2f-4c8e-9d61-0b3a4f5c6d7e");
    assert.equal(router.host, "root@network:22");
    assert.deepEqual(router.spec.floatingIps, [
      { floatingIp: "172.24.4.10", fixedIp: "10.0.0.5", interface: "qg-f6e5d4c3-b2" },
    ]);
    assert.deepEqual(router.spec.snat.map((s) => s.sources), [["10.0.0.0/24"]]);
  });

  it("drops compute-2 and only what concerns it when the program declares one compute", async () => {
    const one = await loadLab(EXAMPLE, { config: { computes: "1" } });
    const gone = lab.resources.filter((r) => !one.resources.some((o) => o.name === r.name)).map((r) => r.name).sort();
    assert.deepEqual(gone, [
      "compute-2-br-int",
      "mesh-compute-1-to-compute-2",
      "mesh-compute-2-flows",
      "mesh-compute-2-patch",
      "mesh-compute-2-to-compute-1",
      "mesh-compute-2-to-network",
      "mesh-compute-2-tun",
      "mesh-network-to-compute-2",
      "vm-a2",
      "vm-b2",
    ]);
    const changed = one.resources
      .filter((o) => JSON.stringify(o.spec) !== JSON.stringify(lab.resource(o.name, o.kind).spec))
      .map((o) => o.name);
    assert.deepEqual(
      changed.sort(),
      ["mesh-compute-1-flows", "mesh-network-flows"],
      "the flow tables of the hosts that stay",
    );
  });

  it("draws each host apart and the three tunnels between the hosts' br-tun, with VNIs and underlay ends", () => {
    const diagram = labDiagram(lab.declared);
    assert.deepEqual(diagram.hosts, ["root@network:22", "root@compute-1:22", "root@compute-2:22"]);
    assert.deepEqual(diagram.boxes.filter((b) => b.title === "br-int").map((b) => b.host), diagram.hosts);
    assert.deepEqual(
      diagram.links.filter((l) => l.kind === "tunnel").map((l) => `${l.from.box} ${l.to.box} ${l.label}`),
      [
        "bridge:br-tun@root@network:22 bridge:br-tun@root@compute-1:22 vxlan key=flow · VNI 100,200 · 10.250.0.11 ⇄ 10.250.0.12",
        "bridge:br-tun@root@network:22 bridge:br-tun@root@compute-2:22 vxlan key=flow · VNI 100,200 · 10.250.0.11 ⇄ 10.250.0.13",
        "bridge:br-tun@root@compute-1:22 bridge:br-tun@root@compute-2:22 vxlan key=flow · VNI 100,200 · 10.250.0.12 ⇄ 10.250.0.13",
      ],
    );
    assert.deepEqual(diagram.vnis, { 1: [100], 2: [200] });
  });

  it("draws the picture its README shows (to redraw: ovslab graph examples/openstack-multinode --out examples/openstack-multinode/lab.svg)", async () => {
    const svg = await drawLab(lab.declared, "svg", `${lab.project}/${lab.stack}`);
    assert.ok(
      svg === fs.readFileSync(path.join(EXAMPLE, "lab.svg"), "utf8"),
      "examples/openstack-multinode/lab.svg is out of date",
    );
  });
});
