// TunnelPort: one tunnel port (VXLAN by default) on a bridge, e.g. Neutron's
// `vxlan-0afa000c` on br-tun, owned by one resource like a Bridge's ports.
import { z } from "zod";
import { AdoptArgs, adoptField, interfaceName, oneOf } from "./common";
import { parseIp } from "../net/address";

export const TUNNEL_TYPES = ["vxlan", "gre", "geneve"] as const;
/** VXLAN and Geneve carry a 24-bit VNI; GRE a 32-bit key. */
const KEY_BITS: Record<(typeof TUNNEL_TYPES)[number], number> = { vxlan: 24, geneve: 24, gre: 32 };

/** A tunnel port on a bridge, to one remote host. */
export interface TunnelPortArgs extends AdoptArgs {
  /** OVSDB `Bridge.name` of the bridge the port is on (e.g. `br-tun`). The bridge must exist. */
  bridge: string;
  /** OVSDB `Port.name` and `Interface.name`: 1-15 bytes, e.g. `vxlan-0afa000c`. */
  name: string;
  /** OVSDB `Interface.type`. Default `vxlan`. */
  type?: (typeof TUNNEL_TYPES)[number];
  /** `options:remote_ip`: the peer's underlay address (IPv4 or IPv6). */
  remoteIp: string;
  /** `options:local_ip`: this host's underlay address. Default none (the route to remoteIp decides). */
  localIp?: string;
  /**
   * `options:key`: the VNI (VXLAN, Geneve: 0-16777215) or GRE key (0-4294967295), or `flow`
   * for flows to set it (`set_tunnel`) and match it (`tun_id`), as Neutron does. Default `flow`.
   */
  key?: number | "flow";
  /** `options:dst_port`: the UDP port, 1-65535. Default none (OVS uses 4789 for VXLAN). */
  dstPort?: number;
}

const address = (field: string) =>
  z.string().refine((text) => parseIp(text) !== undefined, `must be an IPv4 or IPv6 address, as OVS's ${field} takes`);

export const tunnelPortSpec = z
  .object({
    bridge: interfaceName,
    name: interfaceName,
    type: oneOf(TUNNEL_TYPES).default("vxlan"),
    remoteIp: address("remote_ip"),
    localIp: address("local_ip").optional(),
    key: z
      .union([z.literal("flow"), z.number().int('must be an integer or "flow"').min(0, "must be 0 or more")])
      .default("flow"),
    dstPort: z.number().int("must be an integer").min(1, "must be 1-65535").max(65535, "must be 1-65535").optional(),
    adopt: adoptField,
  })
  .strict()
  .superRefine((port, ctx) => {
    if (typeof port.key === "number") {
      const bits = KEY_BITS[port.type];
      const max = 2 ** bits - 1;
      if (port.key > max)
        ctx.addIssue({
          code: "custom",
          path: ["key"],
          message: `must be 0-${max} for a ${port.type} port (${bits} bits)`,
        });
    }
    if (port.name === port.bridge) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "is the bridge's own internal port, which OVS creates" });
    }
    if (port.localIp !== undefined && port.localIp === port.remoteIp) {
      ctx.addIssue({ code: "custom", path: ["localIp"], message: "is also remoteIp; a tunnel joins two hosts" });
    }
    const families = [port.remoteIp, port.localIp].filter((ip) => ip !== undefined).map((ip) => parseIp(ip!)?.family);
    if (families.length === 2 && families[0] !== families[1]) {
      ctx.addIssue({ code: "custom", path: ["localIp"], message: "must be of the same IP version as remoteIp" });
    }
  });

export type TunnelPortSpec = z.output<typeof tunnelPortSpec>;

// Docs and validation cannot drift apart: the documented args must be what the schema accepts.
tunnelPortSpec satisfies z.ZodType<TunnelPortSpec, TunnelPortArgs>;

/** The OVSDB `Interface.options` a tunnel port spec stands for. */
export function tunnelOptions(spec: TunnelPortSpec): Record<string, string> {
  return {
    remote_ip: spec.remoteIp,
    ...(spec.localIp !== undefined ? { local_ip: spec.localIp } : {}),
    key: String(spec.key),
    ...(spec.dstPort !== undefined ? { dst_port: String(spec.dstPort) } : {}),
  };
}
