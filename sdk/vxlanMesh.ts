import type * as pulumi from "@pulumi/pulumi";
import { pulumi as sdk } from "./pulumiSdk";
import {
  MeshLayout,
  meshLayoutSpec,
  MeshNetworkArgs,
  peersOf,
  tunnelBridgeFlows,
  tunnelPortName,
} from "../core/mesh/vxlan";
import { parseOrThrow } from "../core/validation";
import { Bridge } from "./bridge";
import { FlowTable } from "./flowTable";
import { PatchPair } from "./patchPair";
import { HostArgs } from "./resource";
import { TunnelPort } from "./tunnelPort";

export type { MeshNetworkArgs };

/** One host of the mesh. */
export interface VxlanMeshHostArgs extends HostArgs {
  /** The host's underlay IPv4 address: its tunnels' local_ip and its peers' remote_ip. A plain value. */
  underlayIp: string;
  /** Its integration bridge (br-int); pass the Bridge's `name` output so the patch pair waits for it. */
  integrationBridge: pulumi.Input<string>;
}

export interface VxlanMeshArgs {
  /** Host name (lowercase letters, digits, dashes) -> how to reach it and its underlay address. */
  hosts: Record<string, VxlanMeshHostArgs>;
  /** The tenant networks: VNI and local VLAN each. Plain values (they decide which resources exist). */
  networks: MeshNetworkArgs[];
  /** Tunnel bridge name on every host. Default `br-tun`. */
  tunnelBridge?: string;
  /** The patch pair's port names. Default `patch-tun` on br-int, `patch-int` on br-tun. */
  patchPorts?: { integration: string; tunnel: string };
  /** br-tun's datapath. Default `system` (kernel); `netdev` for the userspace datapath. */
  datapathType?: "system" | "netdev";
}

/** What the mesh made on one host. */
export interface VxlanMeshHost {
  tunnelBridge: Bridge;
  patch: PatchPair;
  /** Peer host name -> the tunnel port to it. */
  tunnels: Record<string, TunnelPort>;
  flows: FlowTable;
}

/**
 * A full VXLAN mesh between hosts, laid out as Neutron's OVS agent does: on each host a
 * br-tun (fail_mode secure) patched to br-int, one tunnel port per peer (key=flow), and
 * one FlowTable on br-tun mapping each network's local VLAN to its VNI and back
 * (core/mesh/vxlan.ts has the table layout). Every child is named after its host (and
 * peer), so adding or removing a host creates or deletes only the resources that concern
 * it: its own, the tunnel port to it on each peer, and each peer's flow table update.
 */
export class VxlanMesh extends sdk.ComponentResource {
  readonly hosts: Record<string, VxlanMeshHost> = {};
  readonly layout: MeshLayout;

  constructor(name: string, args: VxlanMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("ovslab:index:VxlanMesh", name, {}, opts);
    // The layout decides which resources exist, so it must be known now: checked at the declaring line.
    const layout = parseOrThrow(meshLayoutSpec, {
      hosts: Object.fromEntries(Object.entries(args.hosts).map(([host, h]) => [host, h.underlayIp])),
      networks: args.networks,
      ...(args.tunnelBridge !== undefined ? { tunnelBridge: args.tunnelBridge } : {}),
      ...(args.patchPorts !== undefined ? { patchPorts: args.patchPorts } : {}),
    }, `VxlanMesh "${name}"`);
    this.layout = layout;
    const datapathType = args.datapathType ?? "system";
    for (const [host, h] of Object.entries(args.hosts)) {
      const child = { parent: this };
      const connection = h.connection;
      const tunnelBridge = new Bridge(
        `${name}-${host}-tun`,
        { connection, name: layout.tunnelBridge, failMode: "secure", datapathType },
        child,
      );
      const patch = new PatchPair(`${name}-${host}-patch`, {
        connection,
        a: { bridge: h.integrationBridge, port: layout.patchPorts.integration },
        b: { bridge: tunnelBridge.name, port: layout.patchPorts.tunnel },
      }, child);
      const tunnels: Record<string, TunnelPort> = {};
      for (const peer of peersOf(layout, host)) {
        tunnels[peer] = new TunnelPort(`${name}-${host}-to-${peer}`, {
          connection,
          bridge: tunnelBridge.name,
          name: tunnelPortName(layout.hosts[peer]),
          remoteIp: layout.hosts[peer],
          localIp: layout.hosts[host],
          key: "flow",
        }, child);
      }
      // The flows name the patch and tunnel ports: they wait for them.
      const flows = new FlowTable(`${name}-${host}-flows`, {
        connection,
        bridge: tunnelBridge.name,
        flows: tunnelBridgeFlows(layout, host),
      }, { ...child, dependsOn: [patch, ...Object.values(tunnels)] });
      this.hosts[host] = { tunnelBridge, patch, tunnels, flows };
    }
    this.registerOutputs({});
  }
}
