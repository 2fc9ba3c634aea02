import type * as pulumi from "@pulumi/pulumi";
import { PatchEndArgs as PatchEndSpecArgs, patchPairSpec } from "../core/schema/patchPair";
import { HostArgs, Inputs, OvslabResource } from "./resource";

/** One end of a patch pair; each field may be a Pulumi Input (e.g. `bridge: brInt.name`). */
export type PatchEndArgs = Inputs<PatchEndSpecArgs>;

export interface PatchPairArgs extends HostArgs {
  /** One end, e.g. `{ bridge: brInt.name, port: "int-br-ex" }`. */
  a: pulumi.Input<PatchEndArgs>;
  /** The other end, e.g. `{ bridge: brEx.name, port: "phy-br-ex" }`. */
  b: pulumi.Input<PatchEndArgs>;
}

/**
 * Two patch ports that name each other as peer, one on each bridge (the seed's
 * `int-br-ex`/`phy-br-ex`), created in one OVSDB transaction and owned by this resource:
 * drift on either end shows in `pulumi preview` and `up` repairs it; delete removes both
 * ends and nothing else. The bridges stay with their own (e.g. Bridge) resources: pass
 * their `name` outputs so the pair waits for them.
 */
export class PatchPair extends OvslabResource {
  declare readonly a: pulumi.Output<PatchEndSpecArgs>;
  declare readonly b: pulumi.Output<PatchEndSpecArgs>;

  constructor(name: string, args: PatchPairArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super("patchPair", "PatchPair", patchPairSpec, name, spec, { connection }, opts);
  }
}
