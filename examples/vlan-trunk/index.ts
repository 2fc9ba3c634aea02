// VLAN trunk: an access switch with one host port per VLAN (10, 20, 30), a trunk that
// carries exactly those three tags to a core switch, and a gateway namespace on the core
// switch with one interface per VLAN, routing between them ("router on a stick").
//
// OVS does the tagging: each gateway interface is an access port of its VLAN. A single
// trunk port into the namespace with Linux VLAN sub-interfaces (gw.10, gw.20, gw.30)
// cannot be declared yet: see README.md, "What is missing".
import * as pulumi from "@pulumi/pulumi";
import { Bridge, FlowTable, PatchPair, RouterNamespace, hostConnection } from "ovslab";

const labConfig = new pulumi.Config();

// ovslab:host, port, user, hostKey and the secret ovslab:privateKey from stack config.
const connection = hostConnection();

const datapathType = (labConfig.get("datapathType") ?? "netdev") as "netdev" | "system";

/** The VLANs: a host port on the access switch and the gateway's address in each. */
export const vlans = [
  { id: 10, host: "host10", gateway: "10.0.10.1/24" },
  { id: 20, host: "host20", gateway: "10.0.20.1/24" },
  { id: 30, host: "host30", gateway: "10.0.30.1/24" },
];
const tags = vlans.map((v) => v.id);

const access = new Bridge("br-access", {
  connection,
  datapathType,
  ports: vlans.map((v) => ({ name: v.host, type: "internal" as const, tag: v.id })),
});

const core = new Bridge("br-core", { connection, datapathType });

// The trunk: both ends carry exactly the three VLANs, tagged; any other tag is dropped.
new PatchPair("trunk", {
  connection,
  a: { bridge: access.name, port: "trunk-access", trunks: tags },
  b: { bridge: core.name, port: "trunk-core", trunks: tags },
});

// VLAN 30 is the management network: from the trunk, its hosts reach the gateway itself
// and nothing beyond it. Every other frame is switched as usual (OVS's own NORMAL flow of
// a standalone bridge, priority 0, which these rules leave alone).
new FlowTable("core-flows", {
  connection,
  bridge: core.name,
  flows: [
    { priority: 100, match: "in_port=trunk-core,dl_vlan=30,ip,nw_dst=10.0.30.1", actions: "NORMAL" },
    { priority: 90, match: "in_port=trunk-core,dl_vlan=30,ip", actions: "drop" },
  ],
});

// The gateway: one interface per VLAN on the core switch, each an access port of its VLAN.
const gateway = new RouterNamespace("vlan-gw", {
  connection,
  interfaces: vlans.map((v) => ({ name: `gw${v.id}`, bridge: core.name, tag: v.id, addresses: [v.gateway] })),
});

export const bridges = [access.name, core.name];
export const gatewayNamespace = gateway.name;
export const trunkTags = tags;
