import { strict as assert } from "assert";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { formatProblem, parseOrThrow, validate } from "../../../../core/validation";

/** The seed article's router: qr- on br-int (tag 5), qg- on br-ex, SNAT and one floating IP. */
export const seedRouter = {
  name: "qrouter-8f3c2a1e-4b5d-4c6e-9f70-1a2b3c4d5e6f",
  interfaces: [
    { name: "qr-1a2b3c4d-5e", bridge: "br-int", tag: 5, addresses: ["10.0.0.1/24"] },
    { name: "qg-6f7a8b9c-0d", bridge: "br-ex", addresses: ["172.24.4.2/24"] },
  ],
  routes: [{ destination: "default", via: "172.24.4.1" }],
  snat: [{ interface: "qg-6f7a8b9c-0d", sources: ["10.0.0.0/24"] }],
  floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" }],
};

function problems(input: unknown): string[] {
  const result = validate(routerNamespaceSpec, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

const withChange = (change: Record<string, unknown>) => ({ ...seedRouter, ...change });
const qr = seedRouter.interfaces[0];
const qg = seedRouter.interfaces[1];

/** A gateway on one trunk port: Linux VLAN devices gw.10 and gw.20 hold the addresses. */
const trunk = {
  name: "gw", bridge: "br-core", trunks: [20, 10],
  vlans: [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.20.1/24"] }],
};
const vlanRouter = { name: "vlan-gw", interfaces: [trunk] };
const withTrunk = (change: Record<string, unknown>, router: Record<string, unknown> = vlanRouter) => ({ ...router, interfaces: [{ ...trunk, ...change }] });

describe("routerNamespaceSpec", () => {
  it("resolves the defaults into the spec: router sysctls, the SNAT address, the floating IP's interface", () => {
    const spec = parseOrThrow(routerNamespaceSpec, seedRouter, "RouterNamespace");
    assert.deepEqual(spec.sysctls, {
      "net.ipv4.ip_forward": "1",
      "net.ipv4.conf.all.promote_secondaries": "1",
      "net.ipv4.conf.all.arp_ignore": "1",
      "net.ipv4.conf.all.arp_announce": "2",
      "net.ipv4.conf.all.arp_notify": "1",
    });
    assert.deepEqual(spec.snat, [{ interface: "qg-6f7a8b9c-0d", sources: ["10.0.0.0/24"], toSource: "172.24.4.2" }]);
    assert.deepEqual(spec.floatingIps, [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6", interface: "qg-6f7a8b9c-0d" }]);
  });

  it("parses its own output to the same spec, so state written by apply reads back unchanged", () => {
    const once = routerNamespaceSpec.parse(withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "FD00::1/64"] }, qg] }));
    assert.deepEqual(routerNamespaceSpec.parse(once), once);
  });

  it("turns IPv6 forwarding on when an interface has an IPv6 address, and lets the spec override any sysctl", () => {
    const spec = routerNamespaceSpec.parse(withChange({
      interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "fd00::1/64"] }, qg],
      sysctls: { "net.ipv4.conf.all.arp_ignore": "0", "net.ipv4.ip_local_port_range": "1024   65000" },
    }));
    assert.equal(spec.sysctls["net.ipv6.conf.all.forwarding"], "1");
    assert.equal(spec.sysctls["net.ipv4.conf.all.arp_ignore"], "0");
    assert.equal(spec.sysctls["net.ipv4.ip_local_port_range"], "1024 65000", "spaced as sysctl prints it");
  });

  it("writes addresses and MACs the way `ip` prints them, so they compare equal to the host", () => {
    const spec = routerNamespaceSpec.parse(withChange({
      interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "FD00:0:0::1/64"], mac: "FA:16:3E:AA:BB:CC" }, qg],
      routes: [{ destination: "fd01:0::/64", via: "FD00::FFFF" }, { destination: "default", via: "172.24.4.1" }],
    }));
    assert.deepEqual(spec.interfaces[0].addresses, ["10.0.0.1/24", "fd00::1/64"]);
    assert.equal(spec.interfaces[0].mac, "fa:16:3e:aa:bb:cc");
    assert.deepEqual(spec.routes[0], { destination: "fd01::/64", via: "fd00::ffff" });
  });

  it("accepts an IPv6 default route through an IPv6 gateway, and a route through a device only", () => {
    assert.deepEqual(problems(withChange({
      interfaces: [qr, { ...qg, addresses: ["172.24.4.2/24", "2001:db8::2/64"] }],
      routes: [{ destination: "default", via: "172.24.4.1" }, { destination: "default", via: "2001:db8::1" }, { destination: "10.5.0.0/16", device: "qr-1a2b3c4d-5e" }],
    })), []);
  });

  // The bad inputs of issue 4, and the rules beside them: each rejected with its field and rule.
  const rejected: Array<[string, unknown, string]> = [
    ["a prefix beyond /32", withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1/33"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.1/33": the prefix length must be 0-32 for an IPv4 address'],
    ["a gateway outside every interface subnet", withChange({ routes: [{ destination: "default", via: "192.168.9.1" }] }),
      "routes[0].via: gateway 192.168.9.1 lies in no connected subnet (10.0.0.0/24, 172.24.4.0/24)"],
    ["a floating IP given as a network", withChange({ floatingIps: [{ floatingIp: "172.24.4.0/24", fixedIp: "10.0.0.6" }] }),
      'floatingIps[0].floatingIp: "172.24.4.0/24" is a network; a single host address is needed'],
    ["an IPv6 address in an IPv4 rule (SNAT source)", withChange({ snat: [{ interface: qg.name, sources: ["fd00::/64"] }] }),
      'snat[0].sources[0]: "fd00::/64" is IPv6; this rule is IPv4 only (iptables NAT)'],
    ["an IPv6 fixed IP for a floating IP", withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "fd00::6" }] }),
      'floatingIps[0].fixedIp: "fd00::6" is IPv6; this rule is IPv4 only (iptables NAT)'],
    ["an IPv4 gateway for an IPv6 destination", withChange({ routes: [{ destination: "fd01::/64", via: "172.24.4.1" }] }),
      "routes[0].via: 172.24.4.1 is IPv4 but destination fd01::/64 is IPv6"],
    ["a namespace name with ;", withChange({ name: "qrouter-1;reboot" }),
      "name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'"],
    ["an interface name with ;", withChange({ interfaces: [{ ...qr, name: "qr-1;id" }, qg] }), "interfaces[0].name: may contain only letters"],
    ["an interface name over 15 bytes", withChange({ interfaces: [{ ...qr, name: "qr-1a2b3c4d-5e6f" }, qg] }),
      "interfaces[0].name: must be 1-15 bytes (a Linux interface name)"],
    ["a namespace name over 64 bytes", withChange({ name: "q".repeat(65) }), "name: must be 1-64 bytes (a network namespace name)"],
    ["a namespace name starting with a dot", withChange({ name: ".." }), "name: may contain only letters"],
    ["an address without a prefix", withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.1" needs a prefix length, e.g. 10.0.0.1/24 or fd00::1/64'],
    ["something that is no address", withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.300/24"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.300" is not an IPv4 or IPv6 address'],
    ["a subnet's network address as an interface address", withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.0/24"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.0/24" is the network address of its subnet, not a host address'],
    ["an IPv6 prefix beyond /128", withChange({ interfaces: [{ ...qr, addresses: ["fd00::1/129"] }, qg] }),
      'interfaces[0].addresses[0]: "fd00::1/129": the prefix length must be 0-128 for an IPv6 address'],
    ["duplicate interfaces", withChange({ interfaces: [qr, qg, { ...qr }] }), 'interfaces[2].name: duplicates interface "qr-1a2b3c4d-5e"'],
    ["the same address on two interfaces", withChange({ interfaces: [qr, { ...qg, addresses: ["172.24.4.2/24", "10.0.0.1/16"] }] }),
      "interfaces[1].addresses[1]: address 10.0.0.1 is also given at interfaces[0].addresses[0]"],
    ["an interface named lo", withChange({ interfaces: [{ ...qr, name: "lo" }, qg] }), "interfaces[0].name: lo is the namespace's own loopback"],
    ["a VLAN tag over 4095", withChange({ interfaces: [{ ...qr, tag: 4096 }, qg] }), "interfaces[0].tag: must be 0-4095"],
    ["a multicast MAC", withChange({ interfaces: [{ ...qr, mac: "01:00:5e:00:00:01" }, qg] }),
      'interfaces[0].mac: "01:00:5e:00:00:01" is a multicast address; an interface needs a unicast one'],
    ["an MTU below 68", withChange({ interfaces: [{ ...qr, mtu: 60 }, qg] }), "interfaces[0].mtu: must be 68-65535"],
    ["a route with neither gateway nor device", withChange({ routes: [{ destination: "10.5.0.0/16" }] }),
      "routes[0].via: a route needs `via` (a gateway) or `device`"],
    ["a route through an unknown device", withChange({ routes: [{ destination: "10.5.0.0/16", device: "eth0" }] }),
      'routes[0].device: "eth0" is not one of the router\'s interfaces (qr-1a2b3c4d-5e, qg-6f7a8b9c-0d)'],
    ["a gateway outside the named device's subnets", withChange({ routes: [{ destination: "default", via: "172.24.4.1", device: qr.name }] }),
      "routes[0].via: gateway 172.24.4.1 lies in no connected subnet of qr-1a2b3c4d-5e (10.0.0.0/24)"],
    ["the router's own address as a gateway", withChange({ routes: [{ destination: "default", via: "172.24.4.2" }] }),
      "routes[0].via: 172.24.4.2 is the router's own address"],
    ["a destination with host bits", withChange({ routes: [{ destination: "10.5.0.1/16", via: "10.0.0.254" }] }),
      'routes[0].destination: "10.5.0.1/16" has host bits set: did you mean 10.5.0.0/16?'],
    ["0.0.0.0/0 instead of default", withChange({ routes: [{ destination: "0.0.0.0/0", via: "172.24.4.1" }] }),
      'routes[0].destination: "0.0.0.0/0" covers everything: write "default" instead'],
    ["two default routes", withChange({ routes: [{ destination: "default", via: "172.24.4.1" }, { destination: "default", via: "172.24.4.3" }] }),
      "routes[1].destination: duplicates the route to default"],
    ["a gateway with a prefix", withChange({ routes: [{ destination: "default", via: "172.24.4.1/24" }] }),
      'routes[0].via: "172.24.4.1/24" is a network; a single host address is needed'],
    ["SNAT out of an unknown interface", withChange({ snat: [{ interface: "qg-nope", sources: ["10.0.0.0/24"] }] }),
      'snat[0].interface: "qg-nope" is not one of the router\'s interfaces'],
    ["SNAT with no sources", withChange({ snat: [{ interface: qg.name, sources: [] }] }), "snat[0].sources: needs at least one source subnet"],
    ["SNAT without an IPv4 address to default to", withChange({
      interfaces: [qr, { ...qg, addresses: ["2001:db8::2/64"] }], routes: [], floatingIps: [],
    }), "snat[0].toSource: interface qg-6f7a8b9c-0d has no IPv4 address to default to: set toSource"],
    ["the same subnet translated twice", withChange({ snat: [{ interface: qg.name, sources: ["10.0.0.0/24", "10.0.0.0/24"] }] }),
      "snat[0].sources[1]: 10.0.0.0/24 out of qg-6f7a8b9c-0d is already translated"],
    ["a floating IP written as /32", withChange({ floatingIps: [{ floatingIp: "172.24.4.10/32", fixedIp: "10.0.0.6" }] }),
      'floatingIps[0].floatingIp: "172.24.4.10/32": write the address without /32'],
    ["a floating IP that is its subnet's broadcast address", withChange({ floatingIps: [{ floatingIp: "172.24.4.255", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 172.24.4.255 is the broadcast address of 172.24.4.0/24, not a host address"],
    ["a fixed IP that is its subnet's network address", withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.0" }] }),
      "floatingIps[0].fixedIp: 10.0.0.0 is the network address of 10.0.0.0/24, not a host address"],
    ["a floating IP in no interface's subnet", withChange({ floatingIps: [{ floatingIp: "198.51.100.7", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 198.51.100.7 lies in no subnet of the router's interfaces (10.0.0.0/24, 172.24.4.0/24): set interface"],
    ["a fixed IP in no connected subnet", withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.9.0.6" }] }),
      "floatingIps[0].fixedIp: 10.9.0.6 lies in no connected subnet (10.0.0.0/24, 172.24.4.0/24)"],
    ["the router's own address as a floating IP", withChange({ floatingIps: [{ floatingIp: "172.24.4.2", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 172.24.4.2 is already an address of the router's interfaces"],
    ["one fixed IP behind two floating IPs", withChange({
      floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" }, { floatingIp: "172.24.4.11", fixedIp: "10.0.0.6" }],
    }), "floatingIps[1].fixedIp: fixed IP 10.0.0.6 already has a floating IP (1:1 NAT)"],
    ["one floating IP twice", withChange({
      floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" }, { floatingIp: "172.24.4.10", fixedIp: "10.0.0.7" }],
    }), "floatingIps[1].floatingIp: duplicates floating IP 172.24.4.10"],
    ["a sysctl key with a space", withChange({ sysctls: { "net.ipv4.ip_forward x": "1" } }), "sysctls.net.ipv4.ip_forward x: sysctl key"],
    ["a sysctl value with a newline", withChange({ sysctls: { "net.ipv4.ip_forward": "1\nnet.x=1" } }), "sysctls.net.ipv4.ip_forward: must be a non-empty value"],
    ["an unknown field", withChange({ gateway: "172.24.4.1" }), "Unrecognized key"],
  ];
  for (const [what, input, message] of rejected) {
    it(`rejects ${what}`, () => {
      const found = problems(input);
      assert.ok(found.some((p) => p.startsWith(message)), `expected "${message}" among:\n  ${found.join("\n  ")}`);
    });
  }


  describe("trunks and VLAN devices", () => {
    it("sorts trunks, keeps VLANs in declared order, and leaves both out of interfaces that do not use them", () => {
      const spec = routerNamespaceSpec.parse(vlanRouter);
      assert.deepEqual(spec.interfaces[0].trunks, [10, 20]);
      assert.deepEqual(spec.interfaces[0].vlans, [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.20.1/24"] }]);
      const seed = routerNamespaceSpec.parse(seedRouter);
      assert.ok(!("trunks" in seed.interfaces[0]) && !("vlans" in seed.interfaces[0]), "state written before VLANs existed reads back unchanged");
      assert.deepEqual(routerNamespaceSpec.parse(spec), spec);
    });

    it("counts VLAN device addresses as the router's: gateways, SNAT sources, floating IPs and routes through them", () => {
      const spec = routerNamespaceSpec.parse({
        ...vlanRouter,
        routes: [{ destination: "default", via: "10.0.20.254" }, { destination: "10.5.0.0/16", device: "gw.10" }],
        snat: [{ interface: "gw.20", sources: ["10.0.10.0/24"] }],
        floatingIps: [{ floatingIp: "10.0.20.10", fixedIp: "10.0.10.6" }],
      });
      assert.equal(spec.snat[0].toSource, "10.0.20.1");
      assert.equal(spec.floatingIps[0].interface, "gw.20");
    });

    const rejected: Array<[string, unknown, string]> = [
      ["VLAN id 0", withTrunk({ vlans: [{ id: 0 }] }), "interfaces[0].vlans[0].id: must be 1-4094"],
      ["VLAN id 4095", withTrunk({ vlans: [{ id: 4095 }] }), "interfaces[0].vlans[0].id: must be 1-4094"],
      ["a VLAN device name over 15 bytes", withTrunk({ name: "qr-1a2b3c4d-5e", vlans: [{ id: 10 }] }),
        'interfaces[0].vlans[0].id: the VLAN device name "qr-1a2b3c4d-5e.10" is 17 bytes, over the 15 of a Linux interface name: shorten interfaces[0].name'],
      ["the same VLAN twice on one interface", withTrunk({ vlans: [...trunk.vlans, { id: 10 }] }), "interfaces[0].vlans[2].id: duplicates VLAN 10 on gw"],
      ["a VLAN the trunk does not carry", withTrunk({ vlans: [{ id: 30 }] }), "interfaces[0].vlans[0].id: VLAN 30 is not in trunks (20, 10): OVS drops its frames"],
      ["VLAN devices on an access port", withTrunk({ trunks: undefined, tag: 10 }),
        "interfaces[0].vlans: a port with a tag (VLAN 10) drops the tagged frames of VLAN devices: use trunks instead"],
      ["a tag beside trunks", withTrunk({ tag: 10, vlans: [] }), "interfaces[0].trunks: a port with a tag is an access port of VLAN 10: OVS ignores its trunks"],
      ["a trunk listing a VLAN twice", withTrunk({ trunks: [10, 20, 10] }), "interfaces[0].trunks: lists VLAN 10 more than once"],
      ["a VLAN device address without a prefix", withTrunk({ vlans: [{ id: 10, addresses: ["10.0.10.1"] }] }),
        'interfaces[0].vlans[0].addresses[0]: "10.0.10.1" needs a prefix length'],
      ["the same address on two VLAN devices", withTrunk({ vlans: [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.10.1/16"] }] }),
        "interfaces[0].vlans[1].addresses[0]: address 10.0.10.1 is also given at interfaces[0].vlans[0].addresses[0]"],
      ["an interface named like a VLAN device", { ...vlanRouter, interfaces: [trunk, { name: "gw.10", bridge: "br-core" }] },
        'interfaces[1].name: duplicates interface "gw.10"'],
      ["a VLAN device MTU over its interface's", withTrunk({ mtu: 1400, vlans: [{ id: 10, mtu: 1500 }] }), "interfaces[0].vlans[0].mtu: 1500 is over the MTU of gw (1400)"],
      ["SNAT out of a VLAN device with only an IPv6 address", {
        ...withTrunk({ vlans: [{ id: 10, addresses: ["fd10::1/64"] }, { id: 20, addresses: ["10.0.20.1/24"] }] }),
        snat: [{ interface: "gw.10", sources: ["10.0.20.0/24"] }],
      }, "snat[0].toSource: interface gw.10 has no IPv4 address to default to: set toSource"],
      ["a gateway outside the VLAN devices' subnets", { ...vlanRouter, routes: [{ destination: "default", via: "10.0.30.1" }] },
        "routes[0].via: gateway 10.0.30.1 lies in no connected subnet (10.0.10.0/24, 10.0.20.0/24)"],
    ];
    for (const [what, input, message] of rejected) {
      it(`rejects ${what}`, () => {
        const found = problems(input);
        assert.ok(found.some((p) => p.startsWith(message)), `expected "${message}" among:\n  ${found.join("\n  ")}`);
      });
    }
  });

  it("reports every problem at once", () => {
    const found = problems(withChange({
      name: "x;y",
      interfaces: [{ ...qr, addresses: ["10.0.0.1/33"] }, qg],
      routes: [{ destination: "default", via: "192.168.9.1" }],
      floatingIps: [{ floatingIp: "172.24.4.0/24", fixedIp: "10.0.0.6" }],
    }));
    assert.ok(found.length >= 4, found.join("\n"));
  });
});
