// Rules across fields (rules.ts) for trunk ports and their VLAN devices.
import { strict as assert } from "assert";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { problems, qr, seedRouter, trunk, vlanRouter, withTrunk } from "./fixture";

describe("routerNamespaceSpec", () => {
  describe("trunks and VLAN devices", () => {
    it("sorts trunks, keeps VLANs in declared order, and leaves both out of interfaces that do not use them", () => {
      const spec = routerNamespaceSpec.parse(vlanRouter);
      assert.deepEqual(spec.interfaces[0].trunks, [10, 20]);
      assert.deepEqual(spec.interfaces[0].vlans, [
        { id: 10, addresses: ["10.0.10.1/24"] },
        { id: 20, addresses: ["10.0.20.1/24"] },
      ]);
      const seed = routerNamespaceSpec.parse(seedRouter);
      assert.ok(
        !("trunks" in seed.interfaces[0]) && !("vlans" in seed.interfaces[0]),
        "state written before VLANs existed reads back unchanged",
      );
      assert.deepEqual(routerNamespaceSpec.parse(spec), spec);
    });

    it("counts VLAN device addresses as the router's: gateways, SNAT sources, floating IPs, routes", () => {
      const spec = routerNamespaceSpec.parse({
        ...vlanRouter,
        routes: [
          { destination: "default", via: "10.0.20.254" },
          { destination: "10.5.0.0/16", device: "gw.10" },
        ],
        snat: [{ interface: "gw.20", sources: ["10.0.10.0/24"] }],
        floatingIps: [{ floatingIp: "10.0.20.10", fixedIp: "10.0.10.6" }],
      });
      assert.equal(spec.snat[0].toSource, "10.0.20.1");
      assert.equal(spec.floatingIps[0].interface, "gw.20");
    });

    const rejected: Array<[string, unknown, string]> = [
      ["VLAN id 0", withTrunk({ vlans: [{ id: 0 }] }), "interfaces[0].vlans[0].id: must be 1-4094"],
      ["VLAN id 4095", withTrunk({ vlans: [{ id: 4095 }] }), "interfaces[0].vlans[0].id: must be 1-4094"],
      [
        "a VLAN device name over 15 bytes",
        withTrunk({ name: "qr-1a2b3c4d-5e", vlans: [{ id: 10 }] }),
        'interfaces[0].vlans[0].id: the VLAN device name "qr-1a2b3c4d-5e.10" is 17 bytes, over the 15 of a Linux interface name: shorten interfaces[0].name',
      ],
      [
        "the same VLAN twice on one interface",
        withTrunk({ vlans: [...trunk.vlans, { id: 10 }] }),
        "interfaces[0].vlans[2].id: duplicates VLAN 10 on gw",
      ],
      [
        "a VLAN the trunk does not carry",
        withTrunk({ vlans: [{ id: 30 }] }),
        "interfaces[0].vlans[0].id: VLAN 30 is not in trunks (20, 10): OVS drops its frames",
      ],
      [
        "VLAN devices on an access port",
        withTrunk({ trunks: undefined, tag: 10 }),
        "interfaces[0].vlans: a port with a tag (VLAN 10) drops the tagged frames of VLAN devices: use trunks instead",
      ],
      [
        "a tag beside trunks",
        withTrunk({ tag: 10, vlans: [] }),
        "interfaces[0].trunks: a port with a tag is an access port of VLAN 10: OVS ignores its trunks",
      ],
      [
        "a trunk listing a VLAN twice",
        withTrunk({ trunks: [10, 20, 10] }),
        "interfaces[0].trunks: lists VLAN 10 more than once",
      ],
      [
        "a VLAN device address without a prefix",
        withTrunk({ vlans: [{ id: 10, addresses: ["10.0.10.1"] }] }),
        'interfaces[0].vlans[0].addresses[0]: "10.0.10.1" needs a prefix length',
      ],
      [
        "the same address on two VLAN devices",
        withTrunk({
          vlans: [
            { id: 10, addresses: ["10.0.10.1/24"] },
            { id: 20, addresses: ["10.0.10.1/16"] },
          ],
        }),
        "interfaces[0].vlans[1].addresses[0]: address 10.0.10.1 is also given at interfaces[0].vlans[0].addresses[0]",
      ],
      [
        "an interface named like a VLAN device",
        { ...vlanRouter, interfaces: [trunk, { name: "gw.10", bridge: "br-core" }] },
        'interfaces[1].name: duplicates interface "gw.10"',
      ],
      [
        "a VLAN device MTU over its interface's",
        withTrunk({ mtu: 1400, vlans: [{ id: 10, mtu: 1500 }] }),
        "interfaces[0].vlans[0].mtu: 1500 is over the MTU of gw (1400)",
      ],
      [
        "SNAT out of a VLAN device with only an IPv6 address",
        {
          ...withTrunk({
            vlans: [
              { id: 10, addresses: ["fd10::1/64"] },
              { id: 20, addresses: ["10.0.20.1/24"] },
            ],
          }),
          snat: [{ interface: "gw.10", sources: ["10.0.20.0/24"] }],
        },
        "snat[0].toSource: interface gw.10 has no IPv4 address to default to: set toSource",
      ],
      [
        "a gateway outside the VLAN devices' subnets",
        { ...vlanRouter, routes: [{ destination: "default", via: "10.0.30.1" }] },
        "routes[0].via: gateway 10.0.30.1 lies in no connected subnet (10.0.10.0/24, 10.0.20.0/24)",
      ],
    ];
    for (const [what, input, message] of rejected) {
      it(`rejects ${what}`, () => {
        const found = problems(input);
        assert.ok(found.some((p) => p.startsWith(message)), `expected "${message}" among:\n  ${found.join("\n  ")}`);
      });
    }
  });
});
