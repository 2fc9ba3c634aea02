// A declared lab seen from each bridge: which ports are on it (a Bridge's own, patch pair
// ends, router interfaces) and which flows it holds. Pure: specs in, views out.
import { BridgeSpec } from "../schema/bridge";
import { PatchPairSpec } from "../schema/patchPair";
import { FlowRuleSpec, FlowSpec, FlowTableSpec } from "../schema/flow";
import { RouterNamespaceSpec } from "../schema/router";

/** Every validated spec of a lab, by kind, in creation order. */
export interface DeclaredLab {
  bridges: BridgeSpec[];
  patchPairs: PatchPairSpec[];
  routers: RouterNamespaceSpec[];
  flowRules: FlowRuleSpec[];
  flowTables: FlowTableSpec[];
}

/** What put a port on a bridge. */
export type PortRole =
  | { kind: "bridge" }
  | { kind: "patch"; peerBridge: string; peerPort: string }
  | { kind: "router"; namespace: string; addresses: string[] };

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

const vlan = (p: { tag?: number; trunks?: number[] }) => ({
  ...(p.tag !== undefined ? { tag: p.tag } : {}),
  ...(p.trunks?.length ? { trunks: p.trunks } : {}),
});

/** Ports on `bridge`, in declaration order: the bridge's own, patch ends, router interfaces. */
export function portsOn(lab: DeclaredLab, bridge: string): PortView[] {
  const ports: PortView[] = [];
  for (const b of lab.bridges.filter((b) => b.name === bridge)) {
    for (const p of b.ports) ports.push({ bridge, name: p.name, type: p.type, ...vlan(p), ...(p.vlanMode ? { vlanMode: p.vlanMode } : {}), role: { kind: "bridge" } });
  }
  for (const pair of lab.patchPairs) {
    for (const [end, peer] of [[pair.a, pair.b], [pair.b, pair.a]] as const) {
      if (end.bridge === bridge) ports.push({ bridge, name: end.port, type: "patch", ...vlan(end), role: { kind: "patch", peerBridge: peer.bridge, peerPort: peer.port } });
    }
  }
  for (const router of lab.routers) {
    for (const i of router.interfaces.filter((i) => i.bridge === bridge)) {
      ports.push({ bridge, name: i.name, type: "internal", ...vlan(i), role: { kind: "router", namespace: router.name, addresses: i.addresses } });
    }
  }
  return ports;
}

/** Every bridge name the lab mentions: declared ones first, then ones only referenced. */
export function bridgeNames(lab: DeclaredLab): string[] {
  const names = lab.bridges.map((b) => b.name);
  const referenced = [
    ...lab.patchPairs.flatMap((p) => [p.a.bridge, p.b.bridge]),
    ...lab.routers.flatMap((r) => r.interfaces.map((i) => i.bridge)),
    ...lab.flowRules.map((f) => f.bridge),
    ...lab.flowTables.map((t) => t.bridge),
  ];
  return [...new Set([...names, ...referenced])];
}

/** The flows on `bridge`, FlowRules and FlowTables alike, in declaration order. */
export function flowsOn(lab: DeclaredLab, bridge: string): FlowSpec[] {
  const strip = ({ bridge: _b, cookie: _c, ...flow }: FlowRuleSpec): FlowSpec => flow;
  return [...lab.flowRules.filter((f) => f.bridge === bridge).map(strip), ...lab.flowTables.filter((t) => t.bridge === bridge).flatMap((t) => t.flows)];
}
