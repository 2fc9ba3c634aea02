// VLAN devices on a trunk port (core/plan/router/links.ts), through planRouter and observeRouter.
import { strict as assert } from "assert";
import { formatStep } from "../../../../core/shell";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { parseBridges } from "../../../../core/live/bridge";
import { LiveRouter, parseNamespace } from "../../../../core/live/router";
import { planRouter } from "../../../../core/plan/router";
import { planRouterDelete } from "../../../../core/plan/router/delete";
import { observeRouter } from "../../../../core/plan/router/observe";
import { fixture, link, script } from "./fixture";

describe("planRouter with a trunk port and VLAN devices", () => {
  const VLAN_OWNER = "t/s/vlan-gw";
  const trunkSpec = (vlans = [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.20.1/24"] }]) =>
    routerNamespaceSpec.parse({ name: "vlan-gw", interfaces: [{ name: "gw", bridge: "br-core", trunks: [10, 20], vlans }] });
  const trunk = trunkSpec();

  /** tests/fixtures/router/read-vlan.txt: the trunk router of `trunk`, converged. */
  function built(): LiveRouter {
    return { namespace: parseNamespace("vlan-gw", fixture("read-vlan.txt"))!, ovs: parseBridges(fixture("vsctl-vlan.json")) };
  }
  function bare(): LiveRouter {
    const ovs = parseBridges(fixture("vsctl-vlan.json"));
    for (const b of ovs.bridges) b.ports = b.ports.filter((p) => p.name !== "gw");
    return { ovs };
  }
  const dropLink = (live: LiveRouter, name: string) => {
    live.namespace!.links = live.namespace!.links.filter((l) => l.name !== name);
    live.namespace!.routes = live.namespace!.routes.filter((r) => r.device !== name);
  };
  const batch = (...lines: string[]) => `ip -n vlan-gw -batch - <<'OVSLAB_EOF'\n${lines.join("\n")}\nOVSLAB_EOF`;

  it("builds it from nothing: a trunk port, then `ip link add ... type vlan` in the namespace, then addresses and links up", () => {
    const ops = planRouter(trunk, bare(), VLAN_OWNER);
    assert.deepEqual(script(ops).filter((o) => !o.startsWith("nsenter ")), [
      "ovs-vsctl --may-exist add-port br-core gw -- set Port gw 'trunks=[10,20]' external_ids:ovslab-owner=t/s/vlan-gw -- set Interface gw type=internal",
      "ip -batch - <<'OVSLAB_EOF'\nnetns add vlan-gw\nlink set dev gw netns vlan-gw\nOVSLAB_EOF",
      batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20"),
      batch("link set dev lo up alias t/s/vlan-gw", "link set dev gw up", "address replace 10.0.10.1/24 dev gw.10", "link set dev gw.10 up", "address replace 10.0.20.1/24 dev gw.20", "link set dev gw.20 up"),
    ]);
  });

  it("makes the VLAN step of a script skip itself when the devices exist (`ip link add` fails on a second run)", () => {
    const add = planRouter(trunk, bare(), VLAN_OWNER).find((op) => op.stdin?.includes("type vlan"))!;
    assert.equal(formatStep(add).split("\n")[0], `sh -c 'ns=$1; shift; for dev; do ip -n "$ns" link show dev "$dev" || exit; done' sh vlan-gw gw.10 gw.20 >/dev/null 2>&1 || ip -n vlan-gw -batch - <<'OVSLAB_EOF'`);
  });

  it("plans nothing when the host already matches", () => {
    assert.deepEqual(planRouter(trunk, built(), VLAN_OWNER), []);
  });

  const drift: Array<[string, (live: LiveRouter) => void, string[]]> = [
    ["a VLAN device deleted by hand", (l) => dropLink(l, "gw.20"),
      [batch("link add link gw name gw.20 type vlan id 20"), batch("address replace 10.0.20.1/24 dev gw.20", "link set dev gw.20 up")]],
    ["an address removed from a VLAN device", (l) => { link(l, "gw.10").addresses = []; }, [batch("address replace 10.0.10.1/24 dev gw.10")]],
    ["an address added to a VLAN device", (l) => { link(l, "gw.10").addresses.push({ cidr: "10.0.10.99/24", family: 4, scope: "global" }); },
      [batch("address del 10.0.10.99/24 dev gw.10")]],
    ["a VLAN device set down", (l) => { link(l, "gw.20").up = false; }, [batch("link set dev gw.20 up")]],
    ["a VLAN device made by hand", (l) => { l.namespace!.links.push({ ...link(l, "gw.10"), name: "gw.30", vlan: { id: 30, parent: "gw" }, addresses: [] }); },
      [batch("link del dev gw.30")]],
    ["a VLAN device of the right name with another id", (l) => { link(l, "gw.10").vlan = { id: 11, parent: "gw" }; },
      [batch("link del dev gw.10", "link add link gw name gw.10 type vlan id 10"), batch("address replace 10.0.10.1/24 dev gw.10", "link set dev gw.10 up")]],
    ["the trunk's VLANs changed", (l) => { l.ovs.bridges[0].ports.find((p) => p.name === "gw")!.trunks = [10]; }, ["ovs-vsctl set Port gw 'trunks=[10,20]'"]],
  ];
  for (const [what, change, expected] of drift) {
    it(`repairs ${what}`, () => {
      const live = built();
      change(live);
      assert.deepEqual(script(planRouter(trunk, live, VLAN_OWNER)), expected);
    });
  }

  it("deletes a VLAN dropped from the spec, and leaves its routes to go with it", () => {
    const ops = planRouter(trunkSpec([{ id: 10, addresses: ["10.0.10.1/24"] }]), built(), VLAN_OWNER);
    assert.deepEqual(script(ops), [batch("link del dev gw.20")]);
    assert.equal(ops[0].unless, undefined, "a batch that deletes is never skipped");
  });

  it("re-adds the VLAN devices of a trunk port deleted from OVS (the kernel took them with it), deleting none", () => {
    const live = built();
    live.ovs.bridges[0].ports = live.ovs.bridges[0].ports.filter((p) => p.name !== "gw");
    for (const name of ["gw", "gw.10", "gw.20"]) dropLink(live, name);
    const ops = script(planRouter(trunk, live, VLAN_OWNER));
    assert.equal(ops[2], batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20"));
    assert.ok(!ops.join("\n").includes("link del"), ops.join("\n"));
  });

  it("treats VLAN devices on a port OVS recreates as gone, without deleting them first", () => {
    const live = built();
    live.ovs.bridges[0].ports.find((p) => p.name === "gw")!.type = "system"; // a type change: OVS opens a new device
    const ops = script(planRouter(trunk, live, VLAN_OWNER));
    assert.ok(ops.includes(batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20")), ops.join("\n"));
    assert.ok(!ops.join("\n").includes("link del"));
  });

  it("reads a converged trunk router back exactly as declared, and shows a VLAN device deleted by hand as missing", () => {
    assert.deepEqual(observeRouter(built(), trunk, VLAN_OWNER), trunk);
    const live = built();
    dropLink(live, "gw.20");
    assert.deepEqual(observeRouter(live, trunk, VLAN_OWNER)!.interfaces[0].vlans, [{ id: 10, addresses: ["10.0.10.1/24"] }]);
  });

  it("deletes the namespace and the trunk port, and with them the VLAN devices", () => {
    assert.deepEqual(script(planRouterDelete("vlan-gw", built(), VLAN_OWNER)), ["ovs-vsctl --if-exists del-port br-core gw", "ip netns delete vlan-gw"]);
  });
});
