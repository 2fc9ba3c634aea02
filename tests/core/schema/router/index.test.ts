// routerNamespaceSpec as a whole: each bad input rejected with its field and rule (fields.ts, rules.ts).
import { strict as assert } from "assert";
import { problems, qg, qr, withChange } from "./fixture";

describe("routerNamespaceSpec", () => {
  // The bad inputs of issue 4, and the rules beside them: each rejected with its field and rule.
  const rejected: Array<[string, unknown, string]> = [
    [
      "a prefix beyond /32",
      withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1/33"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.1/33": the prefix length must be 0-32 for an IPv4 address',
    ],
    [
      "a gateway outside every interface subnet",
      withChange({ routes: [{ destination: "default", via: "192.168.9.1" }] }),
      "routes[0].via: gateway 192.168.9.1 lies in no connected subnet (10.0.0.0/24, 172.24.4.0/24)",
    ],
    [
      "a floating IP given as a network",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.0/24", fixedIp: "10.0.0.6" }] }),
      'floatingIps[0].floatingIp: "172.24.4.0/24" is a network; a single host address is needed',
    ],
    [
      "an IPv6 address in an IPv4 rule (SNAT source)",
      withChange({ snat: [{ interface: qg.name, sources: ["fd00::/64"] }] }),
      'snat[0].sources[0]: "fd00::/64" is IPv6; this rule is IPv4 only (iptables NAT)',
    ],
    [
      "an IPv6 fixed IP for a floating IP",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "fd00::6" }] }),
      'floatingIps[0].fixedIp: "fd00::6" is IPv6; this rule is IPv4 only (iptables NAT)',
    ],
    [
      "an IPv4 gateway for an IPv6 destination",
      withChange({ routes: [{ destination: "fd01::/64", via: "172.24.4.1" }] }),
      "routes[0].via: 172.24.4.1 is IPv4 but destination fd01::/64 is IPv6",
    ],
    [
      "a namespace name with ;",
      withChange({ name: "qrouter-1;reboot" }),
      "name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'",
    ],
    [
      "an interface name with ;",
      withChange({ interfaces: [{ ...qr, name: "qr-1;id" }, qg] }),
      "interfaces[0].name: may contain only letters",
    ],
    [
      "an interface name over 15 bytes",
      withChange({ interfaces: [{ ...qr, name: "qr-1a2b3c4d-5e6f" }, qg] }),
      "interfaces[0].name: must be 1-15 bytes (a Linux interface name)",
    ],
    [
      "a namespace name over 64 bytes",
      withChange({ name: "q".repeat(65) }),
      "name: must be 1-64 bytes (a network namespace name)",
    ],
    ["a namespace name starting with a dot", withChange({ name: ".." }), "name: may contain only letters"],
    [
      "an address without a prefix",
      withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.1" needs a prefix length, e.g. 10.0.0.1/24 or fd00::1/64',
    ],
    [
      "something that is no address",
      withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.300/24"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.300" is not an IPv4 or IPv6 address',
    ],
    [
      "a subnet's network address as an interface address",
      withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.0/24"] }, qg] }),
      'interfaces[0].addresses[0]: "10.0.0.0/24" is the network address of its subnet, not a host address',
    ],
    [
      "an IPv6 prefix beyond /128",
      withChange({ interfaces: [{ ...qr, addresses: ["fd00::1/129"] }, qg] }),
      'interfaces[0].addresses[0]: "fd00::1/129": the prefix length must be 0-128 for an IPv6 address',
    ],
    [
      "duplicate interfaces",
      withChange({ interfaces: [qr, qg, { ...qr }] }),
      'interfaces[2].name: duplicates interface "qr-1a2b3c4d-5e"',
    ],
    [
      "the same address on two interfaces",
      withChange({ interfaces: [qr, { ...qg, addresses: ["172.24.4.2/24", "10.0.0.1/16"] }] }),
      "interfaces[1].addresses[1]: address 10.0.0.1 is also given at interfaces[0].addresses[0]",
    ],
    [
      "an interface named lo",
      withChange({ interfaces: [{ ...qr, name: "lo" }, qg] }),
      "interfaces[0].name: lo is the namespace's own loopback",
    ],
    [
      "a VLAN tag over 4095",
      withChange({ interfaces: [{ ...qr, tag: 4096 }, qg] }),
      "interfaces[0].tag: must be 0-4095",
    ],
    [
      "a multicast MAC",
      withChange({ interfaces: [{ ...qr, mac: "01:00:5e:00:00:01" }, qg] }),
      'interfaces[0].mac: "01:00:5e:00:00:01" is a multicast address; an interface needs a unicast one',
    ],
    ["an MTU below 68", withChange({ interfaces: [{ ...qr, mtu: 60 }, qg] }), "interfaces[0].mtu: must be 68-65535"],
    [
      "a route with neither gateway nor device",
      withChange({ routes: [{ destination: "10.5.0.0/16" }] }),
      "routes[0].via: a route needs `via` (a gateway) or `device`",
    ],
    [
      "a route through an unknown device",
      withChange({ routes: [{ destination: "10.5.0.0/16", device: "eth0" }] }),
      'routes[0].device: "eth0" is not one of the router\'s interfaces (qr-1a2b3c4d-5e, qg-6f7a8b9c-0d)',
    ],
    [
      "a gateway outside the named device's subnets",
      withChange({ routes: [{ destination: "default", via: "172.24.4.1", device: qr.name }] }),
      "routes[0].via: gateway 172.24.4.1 lies in no connected subnet of qr-1a2b3c4d-5e (10.0.0.0/24)",
    ],
    [
      "the router's own address as a gateway",
      withChange({ routes: [{ destination: "default", via: "172.24.4.2" }] }),
      "routes[0].via: 172.24.4.2 is the router's own address",
    ],
    [
      "a destination with host bits",
      withChange({ routes: [{ destination: "10.5.0.1/16", via: "10.0.0.254" }] }),
      'routes[0].destination: "10.5.0.1/16" has host bits set: did you mean 10.5.0.0/16?',
    ],
    [
      "0.0.0.0/0 instead of default",
      withChange({ routes: [{ destination: "0.0.0.0/0", via: "172.24.4.1" }] }),
      'routes[0].destination: "0.0.0.0/0" covers everything: write "default" instead',
    ],
    [
      "two default routes",
      withChange({
        routes: [
          { destination: "default", via: "172.24.4.1" },
          { destination: "default", via: "172.24.4.3" },
        ],
      }),
      "routes[1].destination: duplicates the route to default",
    ],
    [
      "a gateway with a prefix",
      withChange({ routes: [{ destination: "default", via: "172.24.4.1/24" }] }),
      'routes[0].via: "172.24.4.1/24" is a network; a single host address is needed',
    ],
    [
      "SNAT out of an unknown interface",
      withChange({ snat: [{ interface: "qg-nope", sources: ["10.0.0.0/24"] }] }),
      'snat[0].interface: "qg-nope" is not one of the router\'s interfaces',
    ],
    [
      "SNAT with no sources",
      withChange({ snat: [{ interface: qg.name, sources: [] }] }),
      "snat[0].sources: needs at least one source subnet",
    ],
    [
      "SNAT without an IPv4 address to default to",
      withChange({
        interfaces: [qr, { ...qg, addresses: ["2001:db8::2/64"] }],
        routes: [],
        floatingIps: [],
      }),
      "snat[0].toSource: interface qg-6f7a8b9c-0d has no IPv4 address to default to: set toSource",
    ],
    [
      "the same subnet translated twice",
      withChange({ snat: [{ interface: qg.name, sources: ["10.0.0.0/24", "10.0.0.0/24"] }] }),
      "snat[0].sources[1]: 10.0.0.0/24 out of qg-6f7a8b9c-0d is already translated",
    ],
    [
      "a floating IP written as /32",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.10/32", fixedIp: "10.0.0.6" }] }),
      'floatingIps[0].floatingIp: "172.24.4.10/32": write the address without /32',
    ],
    [
      "a floating IP that is its subnet's broadcast address",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.255", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 172.24.4.255 is the broadcast address of 172.24.4.0/24, not a host address",
    ],
    [
      "a fixed IP that is its subnet's network address",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.0" }] }),
      "floatingIps[0].fixedIp: 10.0.0.0 is the network address of 10.0.0.0/24, not a host address",
    ],
    [
      "a floating IP in no interface's subnet",
      withChange({ floatingIps: [{ floatingIp: "198.51.100.7", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 198.51.100.7 lies in no subnet of the router's interfaces (10.0.0.0/24, 172.24.4.0/24): set interface",
    ],
    [
      "a fixed IP in no connected subnet",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.9.0.6" }] }),
      "floatingIps[0].fixedIp: 10.9.0.6 lies in no connected subnet (10.0.0.0/24, 172.24.4.0/24)",
    ],
    [
      "the router's own address as a floating IP",
      withChange({ floatingIps: [{ floatingIp: "172.24.4.2", fixedIp: "10.0.0.6" }] }),
      "floatingIps[0].floatingIp: 172.24.4.2 is already an address of the router's interfaces",
    ],
    [
      "one fixed IP behind two floating IPs",
      withChange({
        floatingIps: [
          { floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" },
          { floatingIp: "172.24.4.11", fixedIp: "10.0.0.6" },
        ],
      }),
      "floatingIps[1].fixedIp: fixed IP 10.0.0.6 already has a floating IP (1:1 NAT)",
    ],
    [
      "one floating IP twice",
      withChange({
        floatingIps: [
          { floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" },
          { floatingIp: "172.24.4.10", fixedIp: "10.0.0.7" },
        ],
      }),
      "floatingIps[1].floatingIp: duplicates floating IP 172.24.4.10",
    ],
    [
      "a sysctl key with a space",
      withChange({ sysctls: { "net.ipv4.ip_forward x": "1" } }),
      "sysctls.net.ipv4.ip_forward x: sysctl key",
    ],
    [
      "a sysctl value with a newline",
      withChange({ sysctls: { "net.ipv4.ip_forward": "1\nnet.x=1" } }),
      "sysctls.net.ipv4.ip_forward: must be a non-empty value",
    ],
    ["an unknown field", withChange({ gateway: "172.24.4.1" }), "Unrecognized key"],
  ];
  for (const [what, input, message] of rejected) {
    it(`rejects ${what}`, () => {
      const found = problems(input);
      assert.ok(found.some((p) => p.startsWith(message)), `expected "${message}" among:\n  ${found.join("\n  ")}`);
    });
  }

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
