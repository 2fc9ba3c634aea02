// Desired flows vs the flows of our cookie on the host -> at most ONE atomic bundle that
// adds, changes (`modify_strict`, keeping counters) and deletes only the flows that
// differ; and the host's flows in the spec's shape. Used by FlowRule and FlowTable.
//
// Comparison: on the host, OVS itself reads the desired flows (`ovs-ofctl parse-flows`,
// LiveFlows.ovs) and prints them as `dump-flows` prints the live ones, so the two compare
// as OVS's own text and OVS is the one judge of what a flow means. Without a host (mocks,
// `ovslab plan`) ovslab's grammar reads both sides into its own canonical form instead.
// Whatever differs is rewritten, which is safe because a rewrite is idempotent.
//
// Flows of other cookies are never written, but for one case: an adopting resource moves
// those in its declared slots to its cookie (adoptFlows). They are read in the tables we
// write to for one more reason: OVS keeps one flow per (table, priority, match), so our
// `add` of the same triple would silently replace theirs (checked on OVS 3.1); we refuse it.
import { Op } from "../shell";
import { MissingBridgeError, OwnershipConflict } from "./errors";
import { FlowSpec } from "../schema/flow";
import { parseMatch } from "../openflow/match";
import { parseActions } from "../openflow/actions";
import { unquoteAll } from "../openflow/syntax";
import { NO_PORT_NAMES, PortNames } from "../openflow/ports";
import { DumpedFlow, FlowBridge, LiveFlows } from "../live/flows";
import {
  addLine,
  bundle,
  COOKIE_MOVE_PROTOCOL,
  deleteLine,
  deleteStrictLine,
  FLOW_PROTOCOL,
  modifyLine,
  moveCookies,
} from "../compile/ofctl";
import { isDerivedCookie } from "../openflow/cookie";
import { clip } from "../openflow/syntax";

/** The bridge's protocols rule out the OpenFlow version our bundles need. */
export class OpenFlowVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpenFlowVersionError";
  }
}

/** Open vSwitch refuses one of the desired flows (its reason, or a clearer one). */
export class FlowRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowRefusedError";
  }
}

/**
 * Why OVS would refuse our bundles on this bridge, or undefined. We refuse up front, with
 * the fix, rather than let `ovs-ofctl --bundle` fail with "version negotiation failed".
 * A bridge with no protocols set allows OpenFlow 1.4 (OVS's default set).
 */
export function bundleProblem(bridge: FlowBridge): string | undefined {
  if (bridge.protocols.length === 0 || bridge.protocols.includes(FLOW_PROTOCOL)) return undefined;
  return (
    `bridge ${bridge.name} allows only ${bridge.protocols.join(",")}, but ovslab reads and writes flows with ` +
    `${FLOW_PROTOCOL}: its bundles (ovs-ofctl --bundle) make every change atomic, and OVS refuses them otherwise ` +
    `("version negotiation failed"). Add "${FLOW_PROTOCOL}" to the bridge's protocols; ` +
    "the versions already listed keep working."
  );
}

type ComparableFlow = Pick<DumpedFlow, "table" | "priority" | "match" | "actions" | "idleTimeout" | "hardTimeout"> &
  Partial<Pick<DumpedFlow, "flags" | "importance">>;

/**
 * Flags that act only when a flow_mod is applied, not on the flow after: `check_overlap` (OVS
 * does not keep it) and `reset_counts`, which OVS keeps and prints on every flow added in
 * OpenFlow 1.0 (ovs-ofctl's default, so a flow added by hand), checked on OVS 3.1.
 */
export const UNKEPT_FLAGS: ReadonlySet<string> = new Set(["check_overlap", "reset_counts"]);
const keptFlags = (flags: readonly string[]) =>
  flags
    .filter((f) => !UNKEPT_FLAGS.has(f))
    .sort()
    .join("+");

/** A flow as two keys: its identity (one flow per table, priority and match) and all of it. */
interface Keyed {
  identity: string;
  whole: string;
  /** The fields beside the actions: when only the actions differ, modify_strict keeps the counters. */
  settings: string;
}

/** Keys of a flow OVS printed (dump-flows or parse-flows): its own text is canonical. */
function ovsKeys(flow: ComparableFlow): Keyed {
  const identity = `table=${flow.table} priority=${flow.priority} match=${flow.match}`;
  const flags = keptFlags(flow.flags ?? []);
  const settings = `idle=${flow.idleTimeout} hard=${flow.hardTimeout} flags=${flags} importance=${flow.importance ?? 0}`;
  return { identity, settings, whole: `${identity} ${settings} actions=${flow.actions}` };
}

/** Keys of a flow in ovslab's own canonical form (no host to ask). */
function grammarKeys(flow: ComparableFlow, ports: PortNames): Keyed {
  const match = parseMatch(flow.match, ports);
  const actions = parseActions(flow.actions, { match, table: flow.table, ports });
  // Text the reader could not read stays in, verbatim: such a flow equals nothing we want.
  const unreadable =
    match.problems.length || actions.problems.length ? ` unreadable=${flow.match} ${flow.actions}` : "";
  const matchText = `${match.canonical}${match.problems.length ? unreadable : ""}`;
  const identity = `table=${flow.table} priority=${flow.priority} match=${matchText}`;
  const flags = keptFlags([...(flow.flags ?? []), ...match.flags]);
  const settings = `idle=${flow.idleTimeout} hard=${flow.hardTimeout} flags=${flags} importance=${flow.importance ?? 0}`;
  return { identity, settings, whole: `${identity} ${settings} actions=${actions.canonical}${unreadable}` };
}

/** One line that is equal for two flows exactly when they are the same flow (ovslab's grammar). */
export function canonicalFlow(flow: ComparableFlow, ports: PortNames = NO_PORT_NAMES): string {
  return grammarKeys(flow, ports).whole;
}

/** Whether two cookies as OVS prints them (hex) or as we write them are the same number. */
export const sameCookie = (a: string, b: string) => BigInt(a) === BigInt(b);

/** Our flows on the host: the dump is filtered by cookie already; this guards fixtures and old OVS. */
export function flowsOf(live: LiveFlows, cookie: string): DumpedFlow[] {
  return live.flows.filter((f) => sameCookie(f.cookie, cookie));
}

function requireBridge(bridge: string, live: LiveFlows, subject: string): FlowBridge {
  if (!live.bridge) {
    throw new MissingBridgeError(
      `bridge ${bridge} does not exist on the host; create it first (e.g. a Bridge resource, ` +
        `passing its name output as the ${subject}'s bridge so it waits for it)`,
    );
  }
  const problem = bundleProblem(live.bridge);
  if (problem) throw new OpenFlowVersionError(problem);
  return live.bridge;
}

/** Both sides keyed the same way: by OVS's reading when the host gave one, else by ovslab's grammar. */
function keyed(
  desired: readonly FlowSpec[],
  live: LiveFlows,
  subject: string,
): { want: Keyed[]; keyOf: (f: ComparableFlow) => Keyed } {
  const ports = live.bridge?.ports ?? NO_PORT_NAMES;
  const reading = live.ovs;
  if (reading && "refused" in reading) throw refusal(desired, reading.refused, subject);
  if (reading && reading.flows.length === desired.length) return { want: reading.flows.map(ovsKeys), keyOf: ovsKeys };
  return { want: desired.map((f) => grammarKeys(f, ports)), keyOf: (f) => grammarKeys(f, ports) };
}

function refusal(
  desired: readonly FlowSpec[],
  refused: { index: number; reason: string },
  subject: string,
): FlowRefusedError {
  const flow = desired[refused.index];
  const where = subject === "FlowTable" ? `flows[${refused.index}]` : "the flow";
  const text = flow ? ` (${clip(`${flow.match ? flow.match + "," : ""}actions=${flow.actions}`)})` : "";
  return new FlowRefusedError(`${subject}: Open vSwitch refuses ${where}${text}: ${refused.reason}`);
}

/**
 * Refuses to add a flow that would replace someone else's: OVS holds one flow per table,
 * priority and match, and an `add` overwrites it, cookie and all.
 */
function checkCollisions(
  bridge: string,
  adds: ReadonlyArray<[FlowSpec, Keyed]>,
  live: LiveFlows,
  cookie: string,
  keyOf: (f: ComparableFlow) => Keyed,
): void {
  const slots = new Set(adds.map(([f]) => `${f.table}/${f.priority}`));
  const foreign = live.flows.filter((f) => !sameCookie(f.cookie, cookie) && slots.has(`${f.table}/${f.priority}`));
  if (foreign.length === 0) return;
  const byIdentity = new Map(foreign.map((f) => [keyOf(f).identity, f]));
  for (const [want, keys] of adds) {
    const theirs = byIdentity.get(keys.identity);
    if (theirs) {
      throw new OwnershipConflict(
        `bridge ${bridge} already has a flow with table=${want.table}, priority=${want.priority} ` +
          `and match "${clip(want.match)}" under cookie ${theirs.cookie}, which is not ours (${cookie}); ` +
          `OVS keeps one flow per table, priority and match, ` +
          `so adding ours would replace it. Change the priority or the match, or remove that flow first.`,
      );
    }
  }
}

const count = (n: number, what = "flow") => `${n} ${what}${n === 1 ? "" : "s"}`;

/** What adopting finds: flows to move to our cookie in place, and every identity it takes (never a collision). */
interface Adoption {
  moved: DumpedFlow[];
  taken: Set<string>;
}

/**
 * The live flows an adopting resource takes: in a declared flow's table, priority and match,
 * under a cookie that is neither ours nor another ovslab resource's. Moved flows join `ours`
 * under our cookie. A bridge that refuses OpenFlow 1.0 cannot move a cookie in place: the
 * bundle's `add` replaces the flow instead (OVS keeps its packet counts, restarts its duration).
 */
function adoptFlows(
  bridge: FlowBridge,
  want: readonly Keyed[],
  live: LiveFlows,
  cookie: string,
  keyOf: (f: ComparableFlow) => Keyed,
  ours: Map<string, { flow: DumpedFlow; keys: Keyed }>,
): Adoption {
  const adoption: Adoption = { moved: [], taken: new Set() };
  const wanted = new Set(want.map((k) => k.identity));
  const inPlace = bridge.protocols.length === 0 || bridge.protocols.includes(COOKIE_MOVE_PROTOCOL);
  for (const flow of live.flows) {
    if (sameCookie(flow.cookie, cookie) || isDerivedCookie(flow.cookie)) continue;
    const keys = keyOf(flow);
    if (!wanted.has(keys.identity) || ours.has(keys.identity)) continue;
    adoption.taken.add(keys.identity);
    if (inPlace) (adoption.moved.push(flow), ours.set(keys.identity, { flow: { ...flow, cookie }, keys }));
  }
  return adoption;
}

/**
 * Nothing when the flows of `cookie` are exactly `desired`; otherwise ONE bundle, applied by
 * OVS all or nothing, that deletes our flows no longer wanted, changes the actions of
 * those whose actions alone differ (counters kept) and adds the missing ones.
 */
export function planFlows(
  bridge: string,
  desired: readonly FlowSpec[],
  live: LiveFlows,
  cookie: string,
  subject: string,
  adopt = false,
): Op[] {
  const flowBridge = requireBridge(bridge, live, subject);
  const { want, keyOf } = keyed(desired, live, subject);
  const ours = new Map<string, { flow: DumpedFlow; keys: Keyed }>();
  const deletes: DumpedFlow[] = [];
  for (const flow of flowsOf(live, cookie)) {
    const keys = keyOf(flow);
    if (ours.has(keys.identity))
      deletes.push(flow); // cannot happen in OVS; a fixture or a reader gap
    else ours.set(keys.identity, { flow, keys });
  }
  const adoption: Adoption = adopt
    ? adoptFlows(flowBridge, want, live, cookie, keyOf, ours)
    : { moved: [], taken: new Set() };
  const move = moveCookies(
    bridge,
    adoption.moved,
    cookie,
    `${subject}: adopt ${count(adoption.moved.length)} on bridge ${bridge}: move them to cookie ${cookie} in place ` +
      "(counters and duration kept)",
  );
  const adds: Array<[FlowSpec, Keyed]> = [];
  const modifies: FlowSpec[] = [];
  const wanted = new Map<string, number>();
  desired.forEach((flow, i) => {
    const keys = want[i];
    const earlier = wanted.get(keys.identity);
    if (earlier !== undefined) {
      throw new FlowRefusedError(
        `${subject}: flows[${i}] is the same flow to Open vSwitch as flows[${earlier}] ` +
          "(same table, priority and match); OVS would keep only one of them",
      );
    }
    wanted.set(keys.identity, i);
    const there = ours.get(keys.identity);
    if (!there) return void adds.push([flow, keys]);
    ours.delete(keys.identity);
    if (there.keys.whole === keys.whole) return;
    if (there.keys.settings === keys.settings) modifies.push(flow);
    else (deletes.push(there.flow), adds.push([flow, keys]));
  });
  deletes.push(...[...ours.values()].map((o) => o.flow));
  if (deletes.length + modifies.length + adds.length === 0) return move ? [move] : [];
  const checked = adds.filter(([, keys]) => !adoption.taken.has(keys.identity));
  checkCollisions(bridge, checked, live, cookie, keyOf);
  // Nothing of ours read: a delete of our cookie first costs nothing and makes the same
  // bundle right on any host, e.g. as a line of an `ovslab plan` script run twice. Never
  // after a move, which it would undo.
  const fresh = ours.size + deletes.length === 0 && flowsOf(live, cookie).length === 0 && !move;
  const lines = [
    ...(fresh ? [deleteLine(cookie)] : []),
    ...deletes.map((f) => deleteStrictLine(f, cookie)),
    ...modifies.map((f) => modifyLine(f, cookie)),
    ...adds.map(([f]) => addLine(f, cookie)),
  ];
  const what = [
    adds.length && `add ${count(adds.length)}`,
    modifies.length && `change the actions of ${count(modifies.length)}`,
    deletes.length && `delete ${count(deletes.length)}`,
  ]
    .filter(Boolean)
    .join(", ");
  const op = bundle(bridge, lines, `${subject}: ${what} of cookie ${cookie} on bridge ${bridge}, in one atomic bundle`);
  return move ? [move, op] : [op];
}

/** One bundle deleting the flows of `cookie` (and no other), or nothing when none are there. */
export function planFlowsDelete(bridge: string, live: LiveFlows, cookie: string, subject: string): Op[] {
  if (!live.bridge || flowsOf(live, cookie).length === 0) return [];
  return [bundle(bridge, [deleteLine(cookie)], `${subject}: delete the flows of cookie ${cookie} on bridge ${bridge}`)];
}

/** A dumped flow in the spec's words; port names lose the quotes OVS puts around them. */
export function renderFlow(flow: DumpedFlow): FlowSpec {
  return {
    table: flow.table,
    priority: flow.priority,
    match: unquoteAll(flow.match),
    actions: unquoteAll(flow.actions),
    idleTimeout: flow.idleTimeout,
    hardTimeout: flow.hardTimeout,
  };
}

/**
 * The host's flows in the spec's shape: `found` are the desired flows that are there (in
 * OVS's form), kept in the user's spelling so state and program agree; `extra` are the
 * other flows of our cookie, as OVS prints them. Undefined when the bridge is gone.
 */
export function observeFlows(
  desired: readonly FlowSpec[],
  live: LiveFlows,
  cookie: string,
): { found: FlowSpec[]; extra: FlowSpec[] } | undefined {
  if (!live.bridge) return undefined;
  let keys: ReturnType<typeof keyed>;
  try {
    keys = keyed(desired, live, "observe");
  } catch {
    keys = keyed(desired, { ...live, ovs: undefined }, "observe"); // a refused flow is simply not there
  }
  const remaining = new Map<string, DumpedFlow[]>();
  for (const flow of flowsOf(live, cookie)) {
    const key = keys.keyOf(flow).whole;
    remaining.set(key, [...(remaining.get(key) ?? []), flow]);
  }
  const found: FlowSpec[] = [];
  desired.forEach((want, i) => {
    const left = remaining.get(keys.want[i].whole);
    if (left?.length) (found.push(want), left.pop());
  });
  return { found, extra: [...remaining.values()].flat().map(renderFlow) };
}
