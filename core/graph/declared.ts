// A declared lab seen from each bridge: which ports are on it and which flows it holds,
// from each kind's graph facts (core/kinds), kinds in creation order. A lab may span hosts:
// each spec then has a placement (its connection's host and its resource name), and a view
// of one host is the lab filtered to it. Pure: specs in, views out.
import { FlowSpec } from "../schema/flow";
import { AnyKind, Kind, kindOf, KINDS, KINDS_IN_ORDER, SpecOf } from "../kinds";
import { PortView } from "../kinds/kind";

export type { PortRole, PortView } from "../kinds/kind";

/** Where a spec is and what the program calls it. */
export interface Placement {
  /** Its connection's host, `user@host:port`. */
  host: string;
  /** The Pulumi resource name, e.g. `mesh-network-flows`. */
  name: string;
}

/**
 * Every validated spec of a lab, by kind, in creation order; `placements`, when known, one
 * per spec of each kind in the same order (absent: one host, resources unnamed).
 */
export type DeclaredLab = { [K in Kind]: SpecOf<K>[] } & { placements?: { [K in Kind]?: Placement[] } };

/** Each spec with its kind's definition and placement, kinds in creation order. */
function specs(lab: DeclaredLab): Array<{ kind: AnyKind; spec: unknown; at?: Placement }> {
  return KINDS_IN_ORDER.flatMap((k) =>
    lab[k].map((spec: unknown, i: number) => ({ kind: kindOf(k)!, spec, at: lab.placements?.[k]?.[i] })),
  );
}

/** The hosts the lab's resources are on, in declaration order; none when placements are unknown. */
export function hostsOf(lab: DeclaredLab): string[] {
  return [...new Set(specs(lab).flatMap(({ at }) => (at ? [at.host] : [])))];
}

/** The part of the lab on `host`, placements kept. */
export function onHost(lab: DeclaredLab, host: string): DeclaredLab {
  const out = { placements: {} } as DeclaredLab & { placements: { [K in Kind]?: Placement[] } };
  for (const k of KINDS) {
    const keep = lab[k].map((_, i) => lab.placements?.[k]?.[i]?.host === host);
    (out as Record<string, unknown>)[k] = (lab[k] as unknown[]).filter((_, i) => keep[i]);
    out.placements[k] = (lab.placements?.[k] ?? []).filter((_, i) => keep[i]);
  }
  return out;
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
  return flowGroupsOn(lab, bridge).flatMap((g) => g.flows);
}

/** The flows on `bridge` by the resource that declares them (`FlowTable "br-tun-flows"`), in declaration order. */
export function flowGroupsOn(lab: DeclaredLab, bridge: string): Array<{ source?: string; flows: FlowSpec[] }> {
  return specs(lab).flatMap(({ kind, spec, at }) => {
    const flows = (kind.graph.flows?.(spec) ?? []).filter((f) => f.bridge === bridge).map((f) => f.flow);
    return flows.length ? [{ ...(at ? { source: `${kind.title} "${at.name}"` } : {}), flows }] : [];
  });
}
