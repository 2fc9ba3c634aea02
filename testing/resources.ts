// From what a program registered to ovslab resources: each validated by its provider's own
// `check` (same messages as `pulumi up`), then planned for an empty host by its kind's
// `plan`, so the commands are exactly the ones the provider would run there.
import { formatCommand, Op } from "../core/shell";
import { BridgeSpec } from "../core/schema/bridge";
import { PatchPairSpec } from "../core/schema/patchPair";
import { FlowRuleSpec, FlowTableSpec } from "../core/schema/flow";
import { RouterNamespaceSpec } from "../core/schema/router";
import { LiveBridges } from "../core/live/bridge";
import { check } from "../providers/crud";
import { Kind, KINDS } from "../providers/kinds";
import { KindDefinition } from "../providers/kind";
import { splitProps } from "../providers/props";
import { registry } from "../providers/registry";
import { declaredOvs, withoutOwned } from "./emptyHost";
import { Registration } from "./run";

/** The validated spec of each kind (defaults applied, as the provider sees it). */
export interface SpecByKind {
  bridge: BridgeSpec;
  patchPair: PatchPairSpec;
  flowRule: FlowRuleSpec;
  flowTable: FlowTableSpec;
  routerNamespace: RouterNamespaceSpec;
}

// A kind added to KINDS but not to SpecByKind fails to compile here.
export type SpecOf<K extends Kind> = { [P in Kind]: SpecByKind[P] }[K];

/**
 * The order resources are created in from empty: bridges first; then what puts ports on
 * them; flows last, since a flow may name any port (`in_port=phy-br-ex`). Within a kind,
 * the order the program registered them. A kind missing here fails to compile.
 */
export const KIND_ORDER: Record<Kind, number> = {
  bridge: 0,
  patchPair: 1,
  routerNamespace: 2,
  flowRule: 3,
  flowTable: 3,
};

/** One ovslab resource of the program. */
export interface LabResource<K extends Kind = Kind> {
  kind: K;
  /** The component's type, e.g. `Bridge`. */
  type: string;
  /** The Pulumi resource name. */
  name: string;
  /** The mark on everything it creates: `<project>/<stack>/<type>/<name>`. */
  owner: string;
  /** The id the provider gives it, e.g. the bridge name or `br-ex/cookie=0x6f76...`. */
  id: string;
  /** Validated, defaults applied: what the provider receives. */
  spec: SpecOf<K>;
  /** What the provider would run on an empty host (with the lab's bridges in place). */
  ops: Op[];
  /** `ops` as exact shell text, one string per op (stdin as a heredoc). */
  commands: string[];
}

/** `Bridge "br-int"`: how messages name a resource (as the SDK's own validation does). */
export const subjectOf = (r: { type: string; name: string }) => `${r.type} "${r.name}"`;

const TYPE_PREFIX = "pulumi-nodejs:dynamic/ovslab:";

function kindOfType(type: string): Kind | undefined {
  if (!type.startsWith(TYPE_PREFIX)) return undefined;
  const title = type.slice(TYPE_PREFIX.length);
  return KINDS.find((k) => registry[k].title === title);
}

/** The engine's view of a created resource: its id and its outputs (the spec, connection, owner). */
export function createdState(registration: Registration): { id: string; state: Record<string, unknown> } {
  const kind = kindOfType(registration.type);
  if (!kind) return { id: `${registration.name}-id`, state: registration.inputs };
  const checked = check(registry[kind], registration.inputs);
  if (!checked.inputs) return { id: `${registration.name}-id`, state: registration.inputs };
  const { spec, owner } = splitProps(checked.inputs);
  return { id: registry[kind].idOf(spec, owner as string), state: checked.inputs };
}

interface Checked {
  kind: Kind;
  type: string;
  name: string;
  owner: string;
  spec: unknown;
  order: number;
}

function planFromEmpty(r: Checked, ovs: LiveBridges): Op[] {
  const definition: KindDefinition<unknown, unknown> = registry[r.kind];
  if (!definition.emptyLive) throw new Error(`ovslab: kind ${r.kind} cannot be planned from empty (its KindDefinition lacks emptyLive)`);
  return definition.plan(r.spec, definition.emptyLive(r.spec, withoutOwned(ovs, r.owner)), r.owner);
}

/** Validated and planned resources in creation order, and every problem found. */
export function labResources(registrations: readonly Registration[]): { resources: LabResource[]; problems: string[] } {
  const problems: string[] = [];
  const checked: Checked[] = [];
  registrations.forEach((registration, order) => {
    const kind = kindOfType(registration.type);
    if (!kind) return;
    const type = registry[kind].title;
    const result = check(registry[kind], registration.inputs);
    if (result.failures?.length) {
      for (const f of result.failures) problems.push(`${subjectOf({ type, name: registration.name })}: ${f.reason}`);
      return;
    }
    const { spec, owner } = splitProps(result.inputs!);
    checked.push({ kind, type, name: registration.name, owner: owner as string, spec, order });
  });
  checked.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order);
  const ovs = declaredOvs(checked.filter((r) => r.kind === "bridge").map((r) => ({ spec: r.spec as BridgeSpec, owner: r.owner })));
  const resources: LabResource[] = [];
  for (const r of checked) {
    try {
      const ops = planFromEmpty(r, ovs);
      const id = registry[r.kind].idOf(r.spec, r.owner);
      resources.push({ kind: r.kind, type: r.type, name: r.name, owner: r.owner, id, spec: r.spec as never, ops, commands: ops.map(formatCommand) });
    } catch (error) {
      problems.push(`${subjectOf(r)} (planned for an empty host with this lab's bridges): ${(error as Error).message}`);
    }
  }
  return { resources, problems };
}
