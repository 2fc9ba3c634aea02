// What each resource kind supplies to the shared CRUD: its schema, how to read the host,
// and the pure plan/observe functions from the core. Nothing here talks to OVS directly.
import { z } from "zod";
import { Op } from "../core/shell";
import { LiveBridges } from "../core/live/bridge";
import { Transport } from "../transport/types";

export interface KindDefinition<Spec, Live> {
  /** `Bridge`, for messages: `Bridge br-int: ...`. */
  title: string;
  schema: z.ZodType<Spec>;
  /** The Pulumi resource id, e.g. the bridge name. `owner` for kinds whose identity derives from it (a flow cookie). */
  idOf(spec: Spec, owner: string): string;
  /** Spec fields whose change replaces the resource instead of updating it. */
  replaceOn: ReadonlyArray<keyof Spec & string>;
  /** Reads what the plan needs from the host (queries only, never a write); `owner` to read only what is ours (a flow cookie). */
  readLive(host: Transport, spec: Spec, owner: string): Promise<Live>;
  /** The ops that take the host from `live` to `desired`; none when they agree. */
  plan(desired: Spec, live: Live, owner: string, previous?: Spec): Op[];
  /** What delete needs, when it is more than `readLive` (a bridge's flows of other owners). */
  readForDelete?(host: Transport, spec: Spec, owner: string): Promise<Live>;
  /** The ops that remove what this resource owns, and nothing else. */
  planDelete(spec: Spec, live: Live, owner: string): Op[];
  /** The host's state in the spec's shape; undefined when the resource is gone. */
  observe(live: Live, reference: Spec, owner: string): Spec | undefined;
  /**
   * The host as this resource finds it when the lab is built from empty: nothing of its
   * own yet, and `ovs` holding the bridges the rest of the lab declares (a flow's bridge,
   * a patch pair's two bridges). `ovslab plan` and `ovslab/testing` plan from it.
   */
  emptyLive?(spec: Spec, ovs: LiveBridges): Live;
  /** Problems the host reports after an apply (an interface OVS could not open). */
  verify?(desired: Spec, live: Live): string[];
}
