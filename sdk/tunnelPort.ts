import type * as pulumi from "@pulumi/pulumi";
import { TunnelPortArgs as TunnelPortSpecArgs } from "../core/schema/tunnelPort";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, OvslabResource } from "./resource";

/** The fields, their docs and defaults are `TunnelPortArgs` of core/schema/tunnelPort.ts, each a Pulumi Input. */
export interface TunnelPortArgs extends Inputs<TunnelPortSpecArgs>, HostArgs {}

/**
 * One tunnel port (VXLAN unless `type` says otherwise) on a bridge, to one remote host:
 * Neutron's `vxlan-0afa000c` on br-tun. Owned by this resource like a Bridge's ports:
 * drift (remote_ip changed, the port deleted) shows in `pulumi preview` and `up` repairs
 * it; delete removes this port and nothing else. Pass the bridge's `name` output as
 * `bridge` so the port waits for it.
 */
export class TunnelPort extends OvslabResource {
  declare readonly bridge: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly remoteIp: pulumi.Output<string>;
  declare readonly localIp: pulumi.Output<string | undefined>;
  declare readonly key: pulumi.Output<number | "flow">;
  declare readonly dstPort: pulumi.Output<number | undefined>;

  constructor(name: string, args: TunnelPortArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super(kinds.tunnelPort, name, spec, { connection }, opts);
  }
}
