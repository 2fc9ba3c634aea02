// OpenStack's multi-node layout: a network node and compute nodes joined by VXLAN tunnels.
// Each host has br-int, where the tenants' ports are access ports on the host's local VLAN
// of their network; a VxlanMesh adds br-tun on every host, patched to br-int, with one
// tunnel per peer and flows mapping local VLAN <-> VNI, as Neutron's OVS agent lays out.
// The network node also has br-ex with the qrouter's gateway port (SNAT, a floating IP)
// and an "upstream" namespace standing in for the outside world.
//
// Tenants: A (VNI 100, local VLAN 1) on 10.0.0.0/24 with the router at 10.0.0.1; B (VNI
// 200, local VLAN 2) on the SAME subnet and no router: overlapping addresses, isolated by
// VNI. VMs: a1 (compute-1, 10.0.0.5, floating IP 172.24.4.10), b1 (compute-1, 10.0.0.6),
// a2 (compute-2, 10.0.0.6, SNAT), b2 (compute-2, 10.0.0.9). External network 172.24.4.0/24.
import * as pulumi from "@pulumi/pulumi";
import { Bridge, RouterNamespace, VxlanMesh, namedHostConnection } from "ovslab";

const config = new pulumi.Config();
const computes = config.getNumber("computes") ?? 2;
const datapathType = (config.get("datapathType") ?? "netdev") as "netdev" | "system";
const hostNames = ["network", ...Array.from({ length: computes }, (_, i) => `compute-${i + 1}`)];

/** The underlay address: `<host>:underlayIp`, by default the lab's 10.250.0.11, .12, ... */
const underlayOf = (host: string, i: number) => new pulumi.Config(host).get("underlayIp") ?? `10.250.0.${11 + i}`;

const hosts = hostNames.map((name, i) => {
  // `network:host` (default: the name), `network:privateKey` (or the shared ovslab:privateKey), ...
  const connection = namedHostConnection(name);
  const brInt = new Bridge(`${name}-br-int`, { connection, name: "br-int", datapathType });
  return { name, connection, brInt, underlayIp: underlayOf(name, i) };
});
const host = (name: string) => hosts.find((h) => h.name === name);
const network = host("network")!;

const tenants = { a: { vni: 100, vlan: 1 }, b: { vni: 200, vlan: 2 } };
const mac = (n: number) => `fa:16:3e:00:00:${n.toString(16).padStart(2, "0")}`;

/** A lab "VM": a namespace with one port on br-int in its tenant's local VLAN. */
function vm(
  on: NonNullable<ReturnType<typeof host>>,
  name: string,
  tenant: keyof typeof tenants,
  address: string,
  macIndex: number,
) {
  return new RouterNamespace(`vm-${name}`, {
    connection: on.connection,
    name: `vm-${name}`,
    interfaces: [
      {
        name: `tap-${name}`,
        bridge: on.brInt.name,
        tag: tenants[tenant].vlan,
        addresses: [address],
        mac: mac(macIndex),
        mtu: 1450,
      },
    ],
    routes: tenant === "a" ? [{ destination: "default", via: "10.0.0.1" }] : [],
  });
}

// VMs on the computes that exist (compute-2's go with it when `computes` is 1).
const vmSpecs: Array<[string, string, keyof typeof tenants, string, number]> = [
  ["compute-1", "a1", "a", "10.0.0.5/24", 0x15], ["compute-1", "b1", "b", "10.0.0.6/24", 0x16],
  ["compute-2", "a2", "a", "10.0.0.6/24", 0x25], ["compute-2", "b2", "b", "10.0.0.9/24", 0x29],
];
const vms = vmSpecs
  .filter(([on]) => host(on))
  .map(([on, name, tenant, address, m]) => ({ on, name, tenant, m, ns: vm(host(on)!, name, tenant, address, m) }));

// Declared MACs: unicast to a known port goes straight to its host's tunnel (table 20).
const routerMac = mac(0x01);
const mesh = new VxlanMesh("mesh", {
  datapathType,
  hosts: Object.fromEntries(
    hosts.map((h) => [h.name, { connection: h.connection, underlayIp: h.underlayIp, integrationBridge: h.brInt.name }]),
  ),
  networks: (Object.keys(tenants) as Array<keyof typeof tenants>).map((t) => ({
    name: `tenant-${t}`,
    ...tenants[t],
    macs: [
      ...(t === "a" ? [{ mac: routerMac, host: "network" }] : []),
      ...vms.filter((v) => v.tenant === t).map((v) => ({ mac: mac(v.m), host: v.on })),
    ],
  })),
});

// The network node: br-ex, the router, the outside world.
const brEx = new Bridge("network-br-ex", { connection: network.connection, name: "br-ex", datapathType });
const router = new RouterNamespace("router", {
  connection: network.connection,
  name: "qrouter-5e1b0d3c-7a2f-4c8e-9d61-0b3a4f5c6d7e",
  interfaces: [
    {
      name: "qr-a1b2c3d4-e5",
      bridge: network.brInt.name,
      tag: tenants.a.vlan,
      addresses: ["10.0.0.1/24"],
      mac: routerMac,
      mtu: 1450,
    },
    { name: "qg-f6e5d4c3-b2", bridge: brEx.name, addresses: ["172.24.4.2/24"] },
  ],
  routes: [{ destination: "default", via: "172.24.4.1" }],
  snat: [{ interface: "qg-f6e5d4c3-b2", sources: ["10.0.0.0/24"] }],
  floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5" }],
});
const upstream = new RouterNamespace("vm-upstream", {
  connection: network.connection,
  name: "vm-upstream",
  interfaces: [{ name: "upstream", bridge: brEx.name, addresses: ["172.24.4.1/24"] }],
});

export const hostsDeclared = hostNames;
export const tunnels = Object.fromEntries(
  Object.entries(mesh.hosts).map(([h, m]) => [h, Object.values(m.tunnels).map((t) => t.name)]),
);
export const routerNamespace = router.name;
export const namespaces = [...vms.map((v) => v.ns.name), upstream.name];

/**
 * The promise the lab keeps, checked with real packets after `up`: rows of [host, from
 * namespace, to address, whether it must answer, why].
 */
export const pingMatrix: Array<[string, string, string, boolean, string]> = [
  ["compute-1", "vm-a1", "10.0.0.1", true, "a1 reaches its router on the network node across the tunnel (VNI 100)"],
  ["compute-1", "vm-a1", "172.24.4.1", true, "a1 is routed upstream by the qrouter (floating IP 172.24.4.10)"],
  ["network", "vm-upstream", "172.24.4.10", true, "the floating IP reaches a1 on compute-1 (DNAT, then the tunnel)"],
  ["network", "vm-upstream", "10.0.0.5", false, "a fixed address is not reachable from outside"],
  [
    "compute-1",
    "vm-b1",
    "10.0.0.5",
    false,
    "tenant B does not reach tenant A's a1 on the same compute (another local VLAN)",
  ],
  ["compute-1", "vm-b1", "10.0.0.1", false, "tenant B does not reach tenant A's router across the tunnel"],
  ...(computes >= 2
    ? ([
        [
          "compute-2",
          "vm-a2",
          "172.24.4.1",
          true,
          "a2 on compute-2 is routed upstream through SNAT on the network node",
        ],
        [
          "compute-1",
          "vm-a1",
          "10.0.0.6",
          true,
          "a1 reaches a2 on compute-2 (same tenant across the tunnel, not b1 beside it)",
        ],
        [
          "compute-2",
          "vm-b2",
          "10.0.0.6",
          true,
          "b2 reaches b1 on compute-1 (same tenant across the tunnel, not a2 beside it)",
        ],
        ["compute-1", "vm-a1", "10.0.0.9", false, "a1 does not reach b2: the other tenant across the tunnel"],
      ] as Array<[string, string, string, boolean, string]>)
    : []),
];
