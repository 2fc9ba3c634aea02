import * as pulumi from "@pulumi/pulumi";
import { PatchEndArgs as PatchEndSpecArgs, PatchPairArgs as PatchPairSpecArgs } from "../core/schema/patchPair";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, OvslabResource } from "./resource";

/** One end of a patch pair; each field may be a Pulumi Input (e.g. `bridge: brInt.name`). */
export type PatchEndArgs = Inputs<PatchEndSpecArgs>;

/** The fields, their docs and defaults are `PatchPairArgs` of core/schema/patchPair.ts, each a Pulumi Input. */
export interface PatchPairArgs extends Inputs<PatchPairSpecArgs>, HostArgs {}

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
    super(kinds.patchPair, name, spec, { connection }, opts);
  }
}
