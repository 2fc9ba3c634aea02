// Everything about one resource kind, in one object: its names, schema, reads, planner,
// observer and the facts `ovslab/testing`, `ovslab plan` and `ovslab graph` need. Pure:
// reads are data (reading.ts), run by the providers. The registry (index.ts) lists them.
import { Op } from "../shell";
import { DocumentedSchema } from "../schema/documented";
import { FlowSpec } from "../schema/flow";
import { LiveBridges } from "../live/bridge";
import { Reading } from "./reading";

/** What put a port on a bridge. */
export type PortRole =
  | { kind: "bridge" }
  | { kind: "patch"; peerBridge: string; peerPort: string }
  | { kind: "router"; namespace: string; addresses: string[] }
  | { kind: "tunnel"; remoteIp: string; key: string };

/** A port a resource puts on a bridge, as a diagram or a test sees it. */
export interface PortView {
  bridge: string;
  name: string;
  /** OVSDB `Interface.type`: `internal`, `patch`, `system`... */
  type: string;
  tag?: number;
  trunks?: number[];
  vlanMode?: string;
  role: PortRole;
}

/** A port's VLAN fields as a view shows them: a tag, and trunks only when there are any. */
export const vlanOf = (p: { tag?: number; trunks?: number[] }) => ({
  ...(p.tag !== undefined ? { tag: p.tag } : {}),
  ...(p.trunks?.length ? { trunks: p.trunks } : {}),
});

/** What a spec adds to a drawing of the lab (core/graph): bridges, ports and flows. */
export interface GraphFacts<Spec> {
  /** Bridges it declares or names, declared ones first. */
  bridges(spec: Spec): string[];
  /** Ports it puts on bridges. */
  ports?(spec: Spec): PortView[];
  /** Flows it puts on bridges. */
  flows?(spec: Spec): Array<{ bridge: string; flow: FlowSpec }>;
}

export interface KindDefinition<Spec, Live, Key extends string = string> {
  /**
   * `bridge`: the name every serialized provider in Pulumi state calls the entry point
   * with (`call("bridge", "read", ...)`), so it can never change.
   */
  key: Key;
  /**
   * `Bridge`: the component's Pulumi type (`pulumi-nodejs:dynamic/ovslab:Bridge`, in every
   * URN, so it can never change) and the word messages use (`Bridge br-int: ...`).
   */
  title: string;
  /** Creation order from empty: bridges (0), then what puts ports on them, flows last (a flow may name any port). */
  order: number;
  /** The zod schema, proven to have exactly the documented args' fields: `documented<BridgeArgs>()(bridgeSpec)`. */
  schema: DocumentedSchema<Spec>;
  /** The Pulumi resource id, e.g. the bridge name. `owner` for kinds whose identity derives from it (a flow cookie). */
  idOf(spec: Spec, owner: string): string;
  /** Spec fields whose change replaces the resource instead of updating it. */
  replaceOn: ReadonlyArray<keyof Spec & string>;
  /**
   * What the plan needs from the host (queries only, never a write); `owner` to read only what is ours (a flow cookie).
   */
  read(spec: Spec, owner: string): Reading<Live>;
  /** The ops that take the host from `live` to `desired`; none when they agree. */
  plan(desired: Spec, live: Live, owner: string, previous?: Spec): Op[];
  /** What delete needs, when it is more than `read` (a bridge's flows of other owners). */
  readForDelete?(spec: Spec, owner: string): Reading<Live>;
  /**
   * The read back after `ops` ran on a host that `read` found as `before`, when it can be
   * less than `read`: what no op touched is kept from `before` (a router's nat table).
   */
  readAfter?(spec: Spec, owner: string, ops: readonly Op[], before: Live): Reading<Live>;
  /** The ops that remove what this resource owns, and nothing else. */
  planDelete(spec: Spec, live: Live, owner: string): Op[];
  /** The host's state in the spec's shape; undefined when the resource is gone. */
  observe(live: Live, reference: Spec, owner: string): Spec | undefined;
  /**
   * The host as this resource finds it when the lab is built from empty: nothing of its
   * own yet, and `ovs` holding the bridges the rest of the lab declares (a flow's bridge,
   * a patch pair's two bridges). `ovslab plan` and `ovslab/testing` plan from it.
   */
  emptyLive(spec: Spec, ovs: LiveBridges): Live;
  /** Problems the host reports after an apply (an interface OVS could not open). */
  verify?(desired: Spec, live: Live): string[];
  graph: GraphFacts<Spec>;
}
