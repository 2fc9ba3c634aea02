// A bridge's flows as FlowTables, one per cookie, in OVS's own text (minus statistics).
// Cookie 0 (every flow added without one) is adopted by default, under the table's own
// cookie; another cookie only when asked for (`--cookie`), and then kept as it is; an
// ovslab cookie only when it is the program's own. Everything else is listed, never declared.
import { FlowArgs, flowIdentity, flowSpec } from "../schema/flow";
import { DERIVED_COOKIE_PREFIX, derivedCookie, formatCookie, parseCookie } from "../openflow/cookie";
import { PORT_NAME, RESERVED_PORTS } from "../openflow/ports";
import { FLOW_TABLE_COOKIE_KIND } from "../plan/flowTable";
import { UNKEPT_FLAGS } from "../plan/flows";
import { LiveBridge } from "../live/bridge";
import { DumpedFlow } from "../live/flows";
import { AdoptedFlowTable, AdoptOptions, Declared, HostState, Names } from "./model";

const RESERVED = new Set<string>(RESERVED_PORTS);

/**
 * Drops the quotes `--names` puts around port names where the bare name means the same
 * to OVS; a name of digits only or a reserved port's (`"123"`, `"local"`) keeps them.
 */
export function unquotePortNames(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) =>
    PORT_NAME.test(inner) && !/^[0-9]+$/.test(inner) && !RESERVED.has(inner.toUpperCase()) ? inner : whole,
  );
}

/** A flow as a FlowTable declares it: only what differs from the defaults. */
export function flowArgs(flow: DumpedFlow): FlowArgs {
  const match = unquotePortNames(flow.match);
  return {
    ...(flow.table !== 0 ? { table: flow.table } : {}),
    priority: flow.priority,
    ...(match !== "" ? { match } : {}),
    actions: unquotePortNames(flow.actions),
    ...(flow.idleTimeout ? { idleTimeout: flow.idleTimeout } : {}),
    ...(flow.hardTimeout ? { hardTimeout: flow.hardTimeout } : {}),
  };
}

/** `priority=4,in_port=1 actions=drop`: a flow in one line, for a comment. */
export function flowText(flow: DumpedFlow): string {
  const head = [flow.table ? `table=${flow.table}` : "", `priority=${flow.priority}`, flow.match].filter(Boolean);
  return `${head.join(",")} actions=${flow.actions}`;
}

/** Why a FlowTable cannot state this flow exactly, or undefined. */
function unmodelled(flow: DumpedFlow): string | undefined {
  const flags = flow.flags.filter((f) => !UNKEPT_FLAGS.has(f));
  if (flags.length) return `flags ${flags.join(",")} (FlowTable has no field for them)`;
  if (flow.importance) return `importance=${flow.importance} (FlowTable has no field for it)`;
  const parsed = flowSpec.safeParse(flowArgs(flow));
  return parsed.success ? undefined : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

/**
 * Flows that read as one (table, priority and match) yet are two on the host: OVS keeps a
 * match on an all-zero mask (`dl_dst=aa:bb:cc:dd:ee:ff/00:00:00:00:00:00`) apart from no match,
 * and prints both the same. Neither can be stated: a table naming that identity means either.
 */
function twins(flows: DumpedFlow[]): Array<readonly [DumpedFlow, string]> {
  const seen = new Map<string, number>();
  const found: Array<readonly [DumpedFlow, string]> = [];
  flows.forEach((f, i) => {
    let id: string;
    try {
      id = flowIdentity({ table: f.table, priority: f.priority, match: unquotePortNames(f.match), actions: f.actions });
    } catch {
      return; // a match the grammar cannot read is reported by unmodelled()
    }
    const first = seen.get(id);
    if (first === undefined) return void seen.set(id, i);
    const why = "the host holds another flow that prints the same table, priority and match";
    if (!found.some(([x]) => x === flows[first])) found.push([flows[first], why]);
    found.push([f, why]);
  });
  return found;
}

/** OVS's own `priority=0 actions=NORMAL` of a standalone bridge: it comes back by itself. */
const ovsDefault = (bridge: LiveBridge, f: DumpedFlow) =>
  bridge.failMode === "standalone" &&
  BigInt(f.cookie) === 0n &&
  f.table === 0 &&
  f.priority === 0 &&
  f.match === "" &&
  f.actions === "NORMAL" &&
  !f.idleTimeout &&
  !f.hardTimeout;

const byTableThenPriority = (a: DumpedFlow, b: DumpedFlow) => a.table - b.table || b.priority - a.priority;
const tablesOf = (flows: DumpedFlow[]) => [...new Set(flows.map((f) => f.table))].sort((a, b) => a - b).join(", ");

export function declareFlows(
  host: HostState,
  options: AdoptOptions,
  bridges: readonly LiveBridge[],
): { flowTables: Declared<AdoptedFlowTable>[]; leftAlone: string[] } {
  const flowTables: Declared<AdoptedFlowTable>[] = [];
  const leftAlone: string[] = [];
  const names = new Names();
  const asked = new Set(options.cookies.map((c) => parseCookie(c)).filter((c) => c !== undefined));
  for (const bridge of bridges) {
    const groups = new Map<bigint, DumpedFlow[]>();
    for (const flow of host.flows[bridge.name] ?? []) {
      if (ovsDefault(bridge, flow)) {
        leftAlone.push(`flow ${flowText(flow)} on ${bridge.name}: OVS's own default flow of a standalone bridge`);
        continue;
      }
      const cookie = BigInt(flow.cookie);
      groups.set(cookie, [...(groups.get(cookie) ?? []), flow]);
    }
    const table = `${bridge.name}-flows`;
    const own =
      options.owner !== undefined
        ? BigInt(derivedCookie(FLOW_TABLE_COOKIE_KIND, `${options.owner}/FlowTable/${table}`))
        : undefined;
    // The program's own table first: it keeps its name (and so its cookie).
    const order = [...groups.keys()].sort(
      (a, b) => Number(b === own) - Number(a === own) || Number(a !== 0n) - Number(b !== 0n),
    );
    for (const cookie of order) {
      const flows = [...groups.get(cookie)!].sort(byTableThenPriority);
      const hex = formatCookie(cookie);
      const where = `${flows.length} flow(s) of cookie ${hex} on ${bridge.name} (table ${tablesOf(flows)})`;
      const derived = cookie >> 48n === DERIVED_COOKIE_PREFIX;
      if (cookie !== 0n && cookie !== own && !asked.has(cookie)) {
        leftAlone.push(
          `${where}: ` +
            (derived ? "another ovslab resource's or stack's cookie" : `not selected (--cookie ${hex} adopts them)`),
        );
        continue;
      }
      const unstated = flows.map((f) => [f, unmodelled(f)] as const).filter(([, why]) => why !== undefined);
      const problems = [...unstated, ...twins(flows.filter((f) => !unstated.some(([u]) => u === f)))];
      if (cookie !== 0n && problems.length) {
        // A table of this cookie would delete the flows it does not state: all of them stay as they are.
        leftAlone.push(`${where}: ${problems.length} of them cannot be stated (${problems[0][1]})`);
        continue;
      }
      for (const [flow, why] of problems) leftAlone.push(`flow ${flowText(flow)} on ${bridge.name}: ${why}`);
      const stated = flows.filter((f) => !problems.some(([p]) => p === f));
      if (!stated.length) continue;
      const name = names.claim(cookie === 0n || cookie === own ? table : `${table}-${hex}`);
      flowTables.push({
        name,
        args: {
          bridge: bridge.name,
          ...(cookie !== 0n && cookie !== own ? { cookie: hex } : {}),
          flows: stated.map(flowArgs),
        },
        adopt: cookie !== own,
        notes:
          cookie === 0n
            ? [`The flows of cookie 0 on ${bridge.name}: adopting moves them to this table's own cookie.`]
            : [],
      });
    }
  }
  return { flowTables, leftAlone };
}
