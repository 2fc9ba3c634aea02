// A full VXLAN mesh between hosts, as Neutron's OVS agent builds it: on each host a tunnel
// bridge (br-tun) patched to the integration bridge (br-int), one tunnel port per peer
// (key=flow), and flows that map each network's local VLAN to its VNI and back. Pure: the
// names, the validated layout and the flows; sdk/vxlanMesh.ts turns them into resources.
//
// br-tun's tables, after Neutron's (neutron/plugins/ml2/drivers/openvswitch/agent/common/constants.py):
//   0  classify by in_port: from br-int -> 2, from a tunnel -> 4, else drop
//   2  unicast -> 20, multicast and broadcast -> 22
//   4  tunnel to local VLAN: tun_id=VNI -> push the network's VLAN, -> 10; unknown VNI: drop
//   10 to br-int (Neutron learns the source MAC here; we take declared MACs instead)
//   20 unicast to a declared MAC: straight to its host's tunnel; unknown -> 22
//   22 flood: each network's VLAN to every peer with its VNI; unknown VLAN: drop
import { z } from "zod";
import { FlowArgs } from "../schema/flow";
import { duplicates, interfaceName, vlanId } from "../schema/common";
import { formatIp, parseIp } from "../net/address";

export const TABLES = { classify: 0, fromBrInt: 2, fromTunnel: 4, toBrInt: 10, unicast: 20, flood: 22 } as const;

/** One tenant network carried by the mesh. */
export interface MeshNetworkArgs {
  /** A name for people and resource names: lowercase letters, digits, dashes. */
  name: string;
  /** The VXLAN network identifier, 1-16777215. */
  vni: number;
  /** The local VLAN its ports carry on br-int, the same on every host: 1-4094. */
  vlan: number;
  /** MACs of the network's ports and the host each is on: unicast goes straight to that host. Default none (flooded). */
  macs?: Array<{ mac: string; host: string }>;
}

/** The hosts, each by its underlay address, and the networks. */
export interface MeshLayoutArgs {
  /** Host name -> its underlay address (the tunnels' local_ip). At least one host. */
  hosts: Record<string, string>;
  networks: MeshNetworkArgs[];
  /** Tunnel bridge name. Default `br-tun`. */
  tunnelBridge?: string;
  /** The patch ports: on br-int (`patch-tun`) and on br-tun (`patch-int`). */
  patchPorts?: { integration: string; tunnel: string };
}

const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "must be 1-31 lowercase letters, digits or dashes");
const mac = z
  .string()
  .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, "must be a MAC address in lowercase, e.g. fa:16:3e:00:00:01");
const ipv4 = z.string().refine((t) => parseIp(t)?.family === 4, "must be an IPv4 address");

export const meshLayoutSpec = z
  .object({
    hosts: z.record(z.string(), ipv4).refine((h) => Object.keys(h).length > 0, "must name at least one host"),
    networks: z.array(
      z
        .object({
          name,
          vni: z.number().int("must be an integer").min(1, "must be 1-16777215").max(16777215, "must be 1-16777215"),
          vlan: vlanId.refine((v) => v >= 1 && v <= 4094, "must be 1-4094 (0 and 4095 are not a local VLAN)"),
          macs: z.array(z.object({ mac, host: name }).strict()).default([]),
        })
        .strict(),
    ),
    tunnelBridge: interfaceName.default("br-tun"),
    patchPorts: z
      .object({ integration: interfaceName, tunnel: interfaceName })
      .strict()
      .default({ integration: "patch-tun", tunnel: "patch-int" }),
  })
  .strict()
  .superRefine((mesh, ctx) => {
    const hosts = Object.keys(mesh.hosts);
    for (const host of hosts.filter((h) => !name.safeParse(h).success)) {
      ctx.addIssue({
        code: "custom",
        path: ["hosts", host],
        message: "must be 1-31 lowercase letters, digits or dashes (a host name)",
      });
    }
    for (const dup of duplicates(Object.values(mesh.hosts).map((ip) => normalIp(ip)))) {
      ctx.addIssue({
        code: "custom",
        path: ["hosts", hosts.find((h) => normalIp(mesh.hosts[h]) === dup)!],
        message: `shares underlay address ${dup} with another host`,
      });
    }
    const networks = mesh.networks;
    for (const [field, values] of [
      ["name", networks.map((n) => n.name)],
      ["vni", networks.map((n) => String(n.vni))],
      ["vlan", networks.map((n) => String(n.vlan))],
    ] as const) {
      for (const dup of duplicates(values)) {
        ctx.addIssue({
          code: "custom",
          path: ["networks", values.lastIndexOf(dup), field],
          message: `duplicates ${field} ${dup} of another network`,
        });
      }
    }
    networks.forEach((n, i) =>
      n.macs.forEach((m, j) => {
        if (!hosts.includes(m.host))
          ctx.addIssue({
            code: "custom",
            path: ["networks", i, "macs", j, "host"],
            message: `names no host of the mesh (${hosts.join(", ")})`,
          });
      }),
    );
  });

export type MeshLayout = z.output<typeof meshLayoutSpec>;
// Docs and validation cannot drift apart: the documented args must be what the schema accepts.
meshLayoutSpec satisfies z.ZodType<MeshLayout, MeshLayoutArgs>;

const normalIp = (text: string) => (parseIp(text) ? formatIp(parseIp(text)!) : text);

/** Neutron's tunnel port name: `vxlan-` and the remote IPv4 address in hex, `vxlan-0afa000c` for 10.250.0.12. */
export function tunnelPortName(remoteIp: string): string {
  const ip = parseIp(remoteIp);
  if (!ip || ip.family !== 4) throw new Error(`tunnel port name: ${remoteIp} is not an IPv4 address`);
  return `vxlan-${remoteIp.split(".").map((octet) => Number(octet).toString(16).padStart(2, "0")).join("")}`;
}

/** The peers of `host`: every other host of the mesh, in the mesh's order. */
export const peersOf = (mesh: MeshLayout, host: string) => Object.keys(mesh.hosts).filter((h) => h !== host);

/** br-tun's flows on `host` (one FlowTable): the same tables on every host, its own peers' ports. */
export function tunnelBridgeFlows(mesh: MeshLayout, host: string): FlowArgs[] {
  const { classify, fromBrInt, fromTunnel, toBrInt, unicast, flood } = TABLES;
  const patch = mesh.patchPorts.tunnel;
  const tunnels = peersOf(mesh, host).map((peer) => tunnelPortName(mesh.hosts[peer]));
  const toTunnel = (vni: number) => `strip_vlan,set_tunnel:${vni}`;
  return [
    { table: classify, priority: 1, match: `in_port=${patch}`, actions: `resubmit(,${fromBrInt})` },
    ...tunnels.map((port) => ({
      table: classify,
      priority: 1,
      match: `in_port=${port}`,
      actions: `resubmit(,${fromTunnel})`,
    })),
    { table: classify, priority: 0, actions: "drop" },
    {
      table: fromBrInt,
      priority: 0,
      match: "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00",
      actions: `resubmit(,${unicast})`,
    },
    {
      table: fromBrInt,
      priority: 0,
      match: "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
      actions: `resubmit(,${flood})`,
    },
    ...mesh.networks.map((n) => ({
      table: fromTunnel,
      priority: 1,
      match: `tun_id=${n.vni}`,
      actions: `mod_vlan_vid:${n.vlan},resubmit(,${toBrInt})`,
    })),
    { table: fromTunnel, priority: 0, actions: "drop" },
    { table: toBrInt, priority: 1, actions: `output:${patch}` },
    ...mesh.networks.flatMap((n) =>
      n.macs
        .filter((m) => m.host !== host)
        .map((m) => ({
          table: unicast,
          priority: 2,
          match: `dl_vlan=${n.vlan},dl_dst=${m.mac}`,
          actions: `${toTunnel(n.vni)},output:${tunnelPortName(mesh.hosts[m.host])}`,
        })),
    ),
    { table: unicast, priority: 0, actions: `resubmit(,${flood})` },
    ...(tunnels.length === 0
      ? []
      : mesh.networks.map((n) => ({
          table: flood,
          priority: 1,
          match: `dl_vlan=${n.vlan}`,
          actions: `${toTunnel(n.vni)},${tunnels.map((p) => `output:${p}`).join(",")}`,
        }))),
    { table: flood, priority: 0, actions: "drop" },
  ];
}
