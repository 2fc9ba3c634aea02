// A declared lab seen from each bridge: which ports are on it and which flows it holds,
// from each kind's graph facts (core/kinds), kinds in creation order. Pure: specs in, views out.
import { FlowSpec } from "../schema/flow";
import { AnyKind, Kind, kindOf, KINDS_IN_ORDER, SpecOf } from "../kinds";
import { PortView } from "../kinds/kind";

export type { PortRole, PortView } from "../kinds/kind";

/** Every validated spec of a lab, by kind, in creation order. */
export type DeclaredLab = { [K in Kind]: SpecOf<K>[] };

/** Each spec with its kind's definition, kinds in creation order. */
function specs(lab: DeclaredLab): Array<{ kind: AnyKind; spec: unknown }> {
  return KINDS_IN_ORDER.flatMap((k) => lab[k].map((spec: unknown) => ({ kind: kindOf(k)!, spec })));
}

/** Ports on `bridge`, in declaration order: the bridge's own, patch ends, router interfaces. */
export function portsOn(lab: DeclaredLab, bridge: string): PortView[] {
  return specs(lab).flatMap(({ kind, spec }) => kind.graph.ports?.(spec) ?? []).filter((p) => p.bridge === bridge);
}

/** Every bridge name the lab mentions: declared ones first, then ones only referenced. */
export function bridgeNames(lab: DeclaredLab): string[] {
  return [...new Set(specs(lab).flatMap(({ kind, spec }) => kind.graph.bridges(spec)))];
}

/** The flows on `bridge`, FlowRules and FlowTables alike, in declaration order. */
export function flowsOn(lab: DeclaredLab, bridge: string): FlowSpec[] {
  return specs(lab)
    .flatMap(({ kind, spec }) => kind.graph.flows?.(spec) ?? [])
    .filter((f) => f.bridge === bridge)
    .map((f) => f.flow);
}
