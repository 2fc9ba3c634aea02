// From what a program registered to ovslab resources: each validated by its provider's own
// `check` (same messages as `pulumi up`), then planned for an empty host by its kind's
// `plan`, so the commands are exactly the ones the provider would run there.
import { formatCommand, Op } from "../core/shell";
import { BridgeSpec } from "../core/schema/bridge";
import { LiveBridges } from "../core/live/bridge";
import { AnyKind, Kind, KINDS, kindOf, kinds, SpecOf } from "../core/kinds";
import { check, specOf } from "../providers/crud";
import { splitProps } from "../providers/props";
import { declaredOvs, withoutOwned } from "./emptyHost";
import { Registration } from "./run";

export type { SpecOf };

/** The validated spec of each kind (defaults applied, as the provider sees it). */
export type SpecByKind = { [K in Kind]: SpecOf<K> };

/**
 * The order resources are created in from empty (each kind's `order`): bridges first; then
 * what puts ports on them; flows last, since a flow may name any port (`in_port=phy-br-ex`).
 * Within a kind, the order the program registered them.
 */
export const KIND_ORDER = Object.fromEntries(KINDS.map((k) => [k, kinds[k].order])) as Record<Kind, number>;

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
  /** The host it is on, `user@host:port` from its connection: a program may span hosts. */
  host: string;
  /** What the provider would run on an empty host (with the lab's bridges of the same host in place). */
  ops: Op[];
  /** `ops` as exact shell text, one string per op (stdin as a heredoc). */
  commands: string[];
}

/** `Bridge "br-int"`: how messages name a resource (as the SDK's own validation does). */
export const subjectOf = (r: { type: string; name: string }) => `${r.type} "${r.name}"`;

const TYPE_PREFIX = "pulumi-nodejs:dynamic/ovslab:";

/** The kind of an ovslab type; `unknown` for an ovslab type no kind has (never skipped silently). */
function kindOfType(type: string): Kind | "unknown" | undefined {
  if (!type.startsWith(TYPE_PREFIX)) return undefined;
  const title = type.slice(TYPE_PREFIX.length);
  return KINDS.find((k) => kinds[k].title === title) ?? "unknown";
}

/** The engine's view of a created resource: its id and its outputs (the spec, connection, owner). */
export function createdState(registration: Registration): { id: string; state: Record<string, unknown> } {
  const kind = kindOfType(registration.type);
  if (!kind || kind === "unknown") return { id: `${registration.name}-id`, state: registration.inputs };
  const checked = check(kindOf(kind)!, registration.inputs);
  if (!checked.inputs) return { id: `${registration.name}-id`, state: registration.inputs };
  const { spec, owner } = splitProps(checked.inputs);
  return { id: kindOf(kind)!.idOf(spec, owner as string), state: checked.inputs };
}

/** `root@10.0.0.5:22`: the host a connection reaches (user and port as the transport defaults them). */
export function hostOf(connection: unknown): string {
  const c = (connection ?? {}) as { host?: unknown; port?: unknown; user?: unknown };
  return `${String(c.user ?? "root")}@${String(c.host ?? "?")}:${String(c.port ?? 22)}`;
}

interface Checked {
  kind: Kind;
  host: string;
  type: string;
  name: string;
  owner: string;
  spec: unknown;
  order: number;
}

function planFromEmpty(r: Checked, ovs: LiveBridges): Op[] {
  const definition: AnyKind = kindOf(r.kind)!;
  return definition.plan(r.spec, definition.emptyLive(r.spec, withoutOwned(ovs, r.owner)), r.owner);
}

/** Validated and planned resources in creation order, and every problem found. */
export function labResources(registrations: readonly Registration[]): { resources: LabResource[]; problems: string[] } {
  const problems: string[] = [];
  const checked: Checked[] = [];
  registrations.forEach((registration, order) => {
    const kind = kindOfType(registration.type);
    if (!kind) return;
    if (kind === "unknown") {
      problems.push(
        `${registration.type} "${registration.name}": no ovslab kind has this type ` +
          `(kinds: ${KINDS.map((k) => kinds[k].title).join(", ")})`,
      );
      return;
    }
    const type = kinds[kind].title;
    const result = check(kindOf(kind)!, registration.inputs);
    if (result.failures?.length) {
      for (const f of result.failures) problems.push(`${subjectOf({ type, name: registration.name })}: ${f.reason}`);
      return;
    }
    const { owner, connection } = splitProps(result.inputs!);
    const { spec } = specOf(kindOf(kind)!, result.inputs!); // a FlowTable's flowsFile read back into its flows
    checked.push({
      kind,
      host: hostOf(connection),
      type,
      name: registration.name,
      owner: owner as string,
      spec,
      order,
    });
  });
  checked.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order);
  // Each host is built from empty with the bridges declared for it, not another host's.
  const ovsByHost = new Map<string, LiveBridges>();
  for (const host of new Set(checked.map((r) => r.host))) {
    const bridges = checked.filter((r) => r.kind === "bridge" && r.host === host);
    ovsByHost.set(host, declaredOvs(bridges.map((r) => ({ spec: r.spec as BridgeSpec, owner: r.owner }))));
  }
  const resources: LabResource[] = [];
  for (const r of checked) {
    try {
      const ops = planFromEmpty(r, ovsByHost.get(r.host)!);
      const id = kindOf(r.kind)!.idOf(r.spec, r.owner);
      resources.push({
        kind: r.kind,
        type: r.type,
        name: r.name,
        owner: r.owner,
        host: r.host,
        id,
        spec: r.spec as never,
        ops,
        commands: ops.map(formatCommand),
      });
    } catch (error) {
      problems.push(`${subjectOf(r)} (planned for an empty host with this lab's bridges): ${(error as Error).message}`);
    }
  }
  return { resources, problems };
}
