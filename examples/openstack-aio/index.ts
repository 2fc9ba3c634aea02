// The seed lab: the OpenStack all-in-one node of the seed article, as far as ovslab's
// resources reach today. br-int is the integration bridge (fail_mode secure: nothing is
// switched until flows say so), its tenant ports are access ports on VLANs 1-4; br-ex is
// the external bridge. The article's uplink enp2s0 is left out on purpose: a lab never
// attaches a bridge to a real NIC.
import * as pulumi from "@pulumi/pulumi";
import { Bridge, ConnectionArgs } from "ovslab";

const hostConfig = new pulumi.Config("ovslab");
const labConfig = new pulumi.Config();

// The private key stays a secret end to end: requireSecret keeps it encrypted in state.
const connection: pulumi.Output<ConnectionArgs> = pulumi
  .all([hostConfig.requireSecret("privateKey")])
  .apply(([privateKey]) => ({
    host: hostConfig.require("host"),
    port: hostConfig.getNumber("port") ?? 22,
    user: hostConfig.get("user") ?? "root",
    privateKey,
    hostKey: hostConfig.get("hostKey"),
  }));

const datapathType = (labConfig.get("datapathType") ?? "netdev") as "netdev" | "system";

/** Tenant networks of the article: one internal access port per VLAN on br-int. */
const tenantPorts = [
  { name: "jack", tag: 1 },
  { name: "jill", tag: 2 },
  { name: "bar", tag: 3 },
  { name: "foo", tag: 4 },
];

const brInt = new Bridge("br-int", {
  connection,
  failMode: "secure",
  datapathType,
  ports: tenantPorts.map((p) => ({ name: p.name, type: "internal", tag: p.tag })),
});

const brEx = new Bridge("br-ex", {
  connection,
  failMode: "standalone",
  datapathType,
});

export const host = pulumi.interpolate`${hostConfig.get("user") ?? "root"}@${hostConfig.require("host")}:${hostConfig.getNumber("port") ?? 22}`;
export const bridges = [brInt.name, brEx.name];
export const integrationBridge = {
  name: brInt.name,
  failMode: brInt.failMode,
  accessPorts: brInt.ports.apply((ports) => Object.fromEntries(ports.map((p) => [p.name, p.tag]))),
};
export const externalBridge = { name: brEx.name, failMode: brEx.failMode };
