// PatchPair: two patch ports on two bridges that name each other as peer (the seed's
// int-br-ex on br-int and phy-br-ex on br-ex), owned by one resource.
import { z } from "zod";
import { AdoptArgs, adoptField, duplicates, interfaceName, oneOf, vlanId } from "./common";
import { VLAN_MODES } from "./bridge";

/** One end of the pair: a patch port on a bridge. */
export interface PatchEndArgs {
  /** OVSDB `Bridge.name` of the bridge this end is on. The bridge must exist (e.g. a Bridge resource). */
  bridge: string;
  /** OVSDB `Port.name` and `Interface.name` of this end: 1-15 bytes. */
  port: string;
  /** OVSDB `Port.tag`: this end's access VLAN, 0-4095. Default none (the port carries every VLAN). */
  tag?: number;
  /** OVSDB `Port.trunks`: VLANs this end carries. Default none (all VLANs). */
  trunks?: number[];
  /** OVSDB `Port.vlan_mode` of this end. Default none (OVS decides from tag and trunks). */
  vlanMode?: (typeof VLAN_MODES)[number];
  /**
   * OVSDB `Interface.options:peer`: always the other end's port; any value given is replaced
   * by it. It is in the resource's state so that a peer changed on the host shows in `preview --diff`.
   */
  peer?: string;
}

/** Two patch ports that peer with each other (`Interface.options:peer`), one on each bridge. */
export interface PatchPairArgs extends AdoptArgs {
  /** One end, e.g. `{ bridge: "br-int", port: "int-br-ex" }`. */
  a: PatchEndArgs;
  /** The other end, e.g. `{ bridge: "br-ex", port: "phy-br-ex" }`. */
  b: PatchEndArgs;
}

export const patchEndSpec = z
  .object({
    bridge: interfaceName,
    port: interfaceName,
    tag: vlanId.optional(),
    trunks: z.array(vlanId).optional(),
    vlanMode: oneOf(VLAN_MODES).optional(),
    // Any text: it is replaced by the other end's port, and state may hold what the host had (`<none>`).
    peer: z.string().optional(),
  })
  .strict()
  .superRefine((end, ctx) => {
    for (const dup of duplicates((end.trunks ?? []).map(String))) {
      ctx.addIssue({ code: "custom", path: ["trunks"], message: `lists VLAN ${dup} more than once` });
    }
    if (end.port === end.bridge) {
      ctx.addIssue({ code: "custom", path: ["port"], message: "is the bridge's own internal port, which OVS creates" });
    }
  });

export const patchPairSpec = z
  .object({ a: patchEndSpec, b: patchEndSpec, adopt: adoptField })
  .strict()
  .superRefine((pair, ctx) => {
    if (pair.a.port === pair.b.port)
      ctx.addIssue({ code: "custom", path: ["b", "port"], message: `is also a.port; the two ends need two names` });
    if (pair.a.bridge === pair.b.bridge) {
      ctx.addIssue({
        code: "custom",
        path: ["b", "bridge"],
        message: "is also a.bridge; a patch pair joins two different bridges",
      });
    }
    if (pair.a.port === pair.b.bridge)
      ctx.addIssue({ code: "custom", path: ["a", "port"], message: "is b.bridge's own internal port" });
    if (pair.b.port === pair.a.bridge)
      ctx.addIssue({ code: "custom", path: ["b", "port"], message: "is a.bridge's own internal port" });
  })
  .transform((pair) => ({
    a: { ...pair.a, peer: pair.b.port },
    b: { ...pair.b, peer: pair.a.port },
    ...(pair.adopt !== undefined ? { adopt: pair.adopt } : {}),
  }));

export type PatchEndSpec = z.output<typeof patchEndSpec>;
export type PatchPairSpec = z.output<typeof patchPairSpec>;

// Docs and validation cannot drift apart: the documented args must be what the schema accepts.
patchPairSpec satisfies z.ZodType<PatchPairSpec, PatchPairArgs>;
