// Multi-tenant: three tenant networks, each on its own VLAN of the integration bridge,
// behind ONE router namespace (Neutron's qrouter) that routes them out of the external
// bridge with SNAT. Tenant A's two servers also get floating IPs: 1:1 NAT on the
// router's gateway interface. The tenants' server ports are internal ports standing in
// for VMs (move one into a namespace of your own to ping from it).
import * as pulumi from "@pulumi/pulumi";
import { Bridge, FlowTable, RouterNamespace, hostConnection } from "ovslab";

const labConfig = new pulumi.Config();

// ovslab:host, port, user, hostKey and the secret ovslab:privateKey from stack config.
const connection = hostConnection();

const datapathType = (labConfig.get("datapathType") ?? "netdev") as "netdev" | "system";

/** The tenant networks: a VLAN on br-int, a subnet, its router port, and its servers. */
export const tenants = [
  { name: "a", vlan: 101, subnet: "10.10.1.0/24", gateway: "10.10.1.1/24", servers: ["vm-a1", "vm-a2"] },
  { name: "b", vlan: 102, subnet: "10.10.2.0/24", gateway: "10.10.2.1/24", servers: ["vm-b1"] },
  { name: "c", vlan: 103, subnet: "10.10.3.0/24", gateway: "10.10.3.1/24", servers: ["vm-c1"] },
];

/** The external network the router's gateway port sits on (documentation range). */
const external = { gateway: "203.0.113.10/24", upstream: "203.0.113.1" };

/** Tenant A's servers reachable from outside: floating IP -> fixed IP. */
const floatingIps = [
  { floatingIp: "203.0.113.21", fixedIp: "10.10.1.5" },
  { floatingIp: "203.0.113.22", fixedIp: "10.10.1.6" },
];

// Integration bridge: fail_mode secure, so nothing is switched until a flow says so.
const brInt = new Bridge("br-int", {
  connection,
  failMode: "secure",
  datapathType,
  ports: tenants.flatMap((t) => t.servers.map((name) => ({ name, type: "internal" as const, tag: t.vlan }))),
});

const brEx = new Bridge("br-ex", { connection, datapathType });

// br-int's own flows: drop frames whose source MAC is a multicast address (no NIC sends
// those; Neutron drops them too), switch the rest normally, VLAN tags respected.
const intFlows = new FlowTable("br-int-flows", {
  connection,
  bridge: brInt.name,
  flows: [
    { priority: 100, match: "dl_src=01:00:00:00:00:00/01:00:00:00:00:00", actions: "drop" },
    { priority: 1, actions: "NORMAL" },
  ],
});

const router = new RouterNamespace("qrouter-4f1c2a9e-7b3d-4e5a-9c8f-0d2e6b1a3c57", {
  connection,
  interfaces: [
    ...tenants.map((t) => ({ name: `qr-tenant-${t.name}`, bridge: brInt.name, tag: t.vlan, addresses: [t.gateway] })),
    { name: "qg-external", bridge: brEx.name, addresses: [external.gateway] },
  ],
  routes: [{ destination: "default", via: external.upstream }],
  snat: [{ interface: "qg-external", sources: tenants.map((t) => t.subnet) }],
  floatingIps,
});

export const bridges = [brInt.name, brEx.name];
export const routerNamespace = router.name;
export const floatingIpMap = router.floatingIps.apply((fips) =>
  Object.fromEntries(fips.map((f) => [f.floatingIp, f.fixedIp])),
);
export const integrationFlows = intFlows.flows.apply((flows) => flows.length);
