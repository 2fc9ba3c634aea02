// The seed lab: the OpenStack all-in-one node of the seed article ("Intro to OpenFlow, and
// Network Namespaces"). br-int is the integration bridge (fail_mode secure: nothing is
// switched until flows say so) with the article's access ports jack/jill/bar/foo on VLANs
// 1-4; br-ex is the external bridge; the int-br-ex/phy-br-ex patch pair joins them, and
// br-ex's flows strip VLAN 1 on the way out (the article's strip_vlan rule). A
// qrouter-<uuid> namespace routes the tenant networks out through qg- with SNAT and a 1:1
// floating IP. The article's uplink enp2s0 is replaced by an "upstream" namespace on br-ex:
// a lab never attaches a bridge to a real NIC.
//
// Addressing: VLAN 1 is the external network 172.24.4.0/24 (upstream .1, router .2, jack
// .20, floating IP .10); VLAN 2 is tenant network A 10.0.0.0/24 (router .1, jill .5, whose
// floating IP is 172.24.4.10); VLAN 3 is tenant network B 10.0.1.0/24 (router .1, bar .5,
// SNAT only); VLAN 4 holds foo on 10.0.0.7/24, the same subnet as A but another VLAN, so it
// reaches nothing: the proof that tags isolate.
import * as pulumi from "@pulumi/pulumi";
import { Bridge, FlowTable, PatchPair, RouterNamespace, hostConnection } from "ovslab";

const labConfig = new pulumi.Config();

// ovslab:host, port, user, hostKey and the secret ovslab:privateKey from stack config.
const connection = hostConnection();

const datapathType = (labConfig.get("datapathType") ?? "netdev") as "netdev" | "system";

const brInt = new Bridge("br-int", { connection, failMode: "secure", datapathType });
const brEx = new Bridge("br-ex", { connection, failMode: "standalone", datapathType });

// The article's patch pair: a trunk between the bridges carrying every VLAN.
const patch = new PatchPair("int-br-ex", {
  connection,
  a: { bridge: brInt.name, port: "int-br-ex" },
  b: { bridge: brEx.name, port: "phy-br-ex" },
});

// br-ex, as `ovs-ofctl dump-flows br-ex` shows it in the article: from the patch port,
// VLAN 1 leaves with its tag stripped, every other VLAN is dropped; the rest is NORMAL.
const exFlows = new FlowTable("br-ex-flows", {
  connection,
  bridge: brEx.name,
  flows: [
    { priority: 1, actions: "NORMAL" },
    { priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" },
    { priority: 2, match: "in_port=phy-br-ex", actions: "drop" },
  ],
}, { dependsOn: [patch] });

// br-int is secure, so it switches only what its flows say: NORMAL, and (as Neutron's OVS
// agent does) untagged frames back from br-ex enter VLAN 1.
const intFlows = new FlowTable("br-int-flows", {
  connection,
  bridge: brInt.name,
  flows: [
    { priority: 1, actions: "NORMAL" },
    { priority: 3, match: "in_port=int-br-ex,vlan_tci=0x0000/0x1fff", actions: "mod_vlan_vid:1,NORMAL" },
  ],
}, { dependsOn: [patch] });

const router = new RouterNamespace("router", {
  connection,
  name: "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7",
  interfaces: [
    // 1450: the MTU Neutron gives a tenant network carried over VXLAN.
    { name: "qr-da3efe6d-a2", bridge: brInt.name, tag: 2, addresses: ["10.0.0.1/24"], mtu: 1450 },
    { name: "qr-7d2a9c1e-5b", bridge: brInt.name, tag: 3, addresses: ["10.0.1.1/24"] },
    { name: "qg-0c4c9d04-f0", bridge: brEx.name, addresses: ["172.24.4.2/24"] },
  ],
  routes: [{ destination: "default", via: "172.24.4.1" }],
  snat: [{ interface: "qg-0c4c9d04-f0", sources: ["10.0.0.0/24", "10.0.1.0/24"] }],
  floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5" }],
});

/**
 * A lab "VM": a namespace with one interface on a bridge and a default route. It is a
 * RouterNamespace with one interface and no NAT: the same resource, a smaller role.
 */
function vm(name: string, bridge: pulumi.Input<string>, tag: number | undefined, address: string, gateway?: string) {
  return new RouterNamespace(`vm-${name}`, {
    connection,
    name: `vm-${name}`,
    interfaces: [{ name, bridge, ...(tag !== undefined ? { tag } : {}), addresses: [address] }],
    routes: gateway ? [{ destination: "default", via: gateway }] : [],
  });
}

// The article's access ports, each with a VM behind it, plus the upstream network.
const vms = [
  vm("jack", brInt.name, 1, "172.24.4.20/24", "172.24.4.1"),
  vm("jill", brInt.name, 2, "10.0.0.5/24", "10.0.0.1"),
  vm("bar", brInt.name, 3, "10.0.1.5/24", "10.0.1.1"),
  vm("foo", brInt.name, 4, "10.0.0.7/24", "10.0.0.1"),
];
const upstream = vm("upstream", brEx.name, undefined, "172.24.4.1/24");

export const host = pulumi.interpolate`${connection.user}@${connection.host}:${connection.port}`;
export const bridges = [brInt.name, brEx.name];
export const patchPorts = { a: patch.a, b: patch.b };
export const externalFlows = exFlows.flows.apply((flows) =>
  flows.map((f) => `priority=${f.priority} ${f.match ?? ""} actions=${f.actions}`.replace("  ", " ")),
);
export const integrationFlowCount = intFlows.flows.apply((flows) => flows.length);
export const routerNamespace = router.name;
export const floatingIps = router.floatingIps;
export const namespaces = [...vms, upstream].map((v) => v.name);

/**
 * What `npm start` checks after `up`, by ping inside the namespaces: each row is
 * [from namespace, to address, whether it must answer, why].
 */
export const pingMatrix: Array<[string, string, boolean, string]> = [
  ["vm-jack", "172.24.4.1", true, "VLAN 1 leaves br-int through the patch pair, br-ex strips the tag"],
  ["vm-jill", "172.24.4.1", true, "tenant A is routed out by the qrouter (floating IP 172.24.4.10)"],
  ["vm-bar", "172.24.4.1", true, "tenant B is routed out by the qrouter with SNAT to 172.24.4.2"],
  ["vm-upstream", "172.24.4.10", true, "the floating IP reaches jill (DNAT)"],
  ["vm-upstream", "10.0.0.5", false, "a fixed address is not reachable from outside"],
  ["vm-foo", "10.0.0.1", false, "VLAN 4 is isolated from tenant A's VLAN 2"],
];
