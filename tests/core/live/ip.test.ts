import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parseLinks, parseMainRoutes } from "../../../core/live/ip";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/ip", name), "utf8");

describe("live/ip (real `ip -json` output of a router namespace)", () => {
  const links = parseLinks(fixture("address-details-router.json"));

  it("reads each link's state, MTU, MAC and lo's alias (the ownership mark)", () => {
    assert.deepEqual(
      links.map((l) => [l.name, l.up, l.mtu]),
      [
        ["lo", true, 65536],
        ["qr-a", true, 1450],
        ["qg-b", true, 1500],
      ],
    );
    assert.equal(links[0].alias, "t/s/r1");
    assert.equal(links[2].mac, "fa:16:3e:00:00:02");
    assert.equal(links[1].alias, undefined);
  });

  it("reads each link's addresses, IPv4 and IPv6, with their scope (link-local is the kernel's)", () => {
    assert.deepEqual(links[2].addresses.map((a) => `${a.cidr} ${a.scope}`), [
      "172.24.4.2/24 global", "172.24.4.10/32 global", "2001:db8::2/64 global", "fe80::f816:3eff:fe00:2/64 link",
    ]);
  });

  it("reads IPv4 routes: protocol boot when ip omits it, blackhole as a type", () => {
    assert.deepEqual(parseMainRoutes(fixture("route-router.json")), [
      {
        family: 4,
        destination: "default",
        via: "172.24.4.1",
        device: "qg-b",
        protocol: "boot",
        type: "unicast",
        metric: 0,
      },
      { family: 4, destination: "10.0.0.0/24", device: "qr-a", protocol: "kernel", type: "unicast", metric: 0 },
      {
        family: 4,
        destination: "10.2.0.0/16",
        via: "10.0.0.254",
        device: "qr-a",
        protocol: "boot",
        type: "unicast",
        metric: 0,
      },
      { family: 4, destination: "10.9.0.0/16", protocol: "boot", type: "blackhole", metric: 0 },
      { family: 4, destination: "172.24.4.0/24", device: "qg-b", protocol: "kernel", type: "unicast", metric: 0 },
    ]);
  });

  it("reads IPv6 routes with their metrics", () => {
    const routes = parseMainRoutes(fixture("route6-router.json"));
    assert.deepEqual(routes.at(-1), {
      family: 6,
      destination: "default",
      via: "2001:db8::1",
      device: "qg-b",
      protocol: "boot",
      type: "unicast",
      metric: 1024,
    });
    assert.ok(routes.slice(0, -1).every((r) => r.protocol === "kernel"));
  });

  // `ip -json route show table all` in a namespace holding only lo (10.9.0.1/24, fd09::1/64,
  // a default route of each family, 10.8.0.0/16 via 10.9.0.254 metric 5, a blackhole),
  // captured with iproute2 6.1: main's routes carry no `table`, the local table's do; no
  // route names its family, IPv6's carry `pref`.
  it("keeps the main table's routes of both families from one `table all` read", () => {
    const routes = parseMainRoutes(fixture("route-all-lo.json"));
    assert.deepEqual(
      routes.map((r) => `${r.family} ${r.type} ${r.destination}${r.via ? ` via ${r.via}` : ""} metric ${r.metric}`),
      [
        "4 unicast default metric 0",
        "4 unicast 10.8.0.0/16 via 10.9.0.254 metric 5",
        "4 blackhole 192.0.2.0/24 metric 0",
        "6 unicast fd09::/64 metric 256",
        "6 unicast default metric 100",
      ],
    );
  });

  it("writes host routes as /32 and /128, as the spec does", () => {
    assert.equal(
      parseMainRoutes('[{"dst":"10.0.0.6","dev":"qr-a","scope":"link","flags":[]}]')[0].destination,
      "10.0.0.6/32",
    );
    assert.equal(
      parseMainRoutes('[{"dst":"fd00::6","dev":"qr-a","metric":1024,"flags":[]}]')[0].destination,
      "fd00::6/128",
    );
  });

  it("reads an empty answer as no links or routes", () => {
    assert.deepEqual(parseMainRoutes("[]"), []);
    assert.deepEqual(parseMainRoutes(""), []);
  });

  // The links (with their addresses) of a trunk router captured on a lab host, with the two VLAN
  // devices added in iproute2's `-details` format (the test machine's kernel has no 802.1Q
  // support, CONFIG_VLAN_8021Q unset): `link` names the parent, linkinfo.info_data.id the VLAN.
  it("reads VLAN devices from `ip -json -details address`: id and parent, with their addresses", () => {
    const vlan = parseLinks(fixture("address-details-vlan.json"));
    assert.deepEqual(
      vlan.map((l) => [l.name, l.vlan, l.addresses.filter((a) => a.scope === "global").map((a) => a.cidr)]),
      [
        ["lo", undefined, []],
        ["gw", undefined, []],
        ["gw.10", { id: 10, parent: "gw" }, ["10.0.10.1/24"]],
        ["gw.20", { id: 20, parent: "gw" }, ["10.0.20.1/24"]],
      ],
    );
    assert.ok(!("vlan" in vlan[1]), "an OVS tap (info_kind tun) is no VLAN device");
  });

  it("says which VLAN device it cannot read", () => {
    assert.throws(
      () => parseLinks('[{"ifname":"gw.10","mtu":1500,"linkinfo":{"info_kind":"vlan","info_data":{}}}]'),
      /VLAN device gw\.10 lacks its id or parent/,
    );
  });
});
