// Desired flows vs the flows of our cookie on the host -> at most ONE atomic bundle, and
// the host's flows in the spec's shape. Used by FlowRule (one flow) and FlowTable (many).
//
// Comparison is on a canonical form (flowMatch.ts, flowActions.ts) into which both the
// user's text and OVS's dump are read, so `dl_vlan=0x1,actions=strip_vlan,normal` and
// OVS's `dl_vlan=1 actions=pop_vlan,NORMAL` are the same flow. Whatever OVS prints that
// the reader does not know makes the flow differ: it is treated as drift and rewritten,
// which is safe because a rewrite is idempotent.
//
// Flows of other cookies are never written. They are read in the tables we write to for
// one reason: OVS keeps one flow per (table, priority, match), so our `add` of the same
// triple would silently replace theirs (checked on OVS 3.1); we refuse that instead.
import { Op } from "../shell";
import { MissingBridgeError, OwnershipConflict } from "./errors";
import { FlowSpec } from "../schema/flow";
import { parseMatch } from "../openflow/match";
import { parseActions } from "../openflow/actions";
import { unquoteAll } from "../openflow/syntax";
import { NO_PORT_NAMES, PortNames } from "../openflow/ports";
import { DumpedFlow, FlowBridge, LiveFlows } from "../live/flows";
import { addLine, bundle, deleteLine, FLOW_PROTOCOL } from "../compile/ofctl";

/** The bridge's protocols rule out the OpenFlow version our bundles need. */
export class OpenFlowVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpenFlowVersionError";
  }
}

/** Flows cannot be planned for a bridge that is not there. */
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
    `("version negotiation failed"). Add "${FLOW_PROTOCOL}" to the bridge's protocols; the versions already listed keep working.`
  );
}

type ComparableFlow = Pick<DumpedFlow, "table" | "priority" | "match" | "actions" | "idleTimeout" | "hardTimeout"> &
  Partial<Pick<DumpedFlow, "flags" | "importance">>;

/**
 * One line that is equal for two flows exactly when OVS holds them as the same flow.
 * `reset_counts` is left out: OVS sets it on flows added with OpenFlow 1.2+ on its own.
 */
export function canonicalFlow(flow: ComparableFlow, ports: PortNames = NO_PORT_NAMES): string {
  const match = parseMatch(flow.match, ports);
  const actions = parseActions(flow.actions, { match, table: flow.table, ports });
  const parts = [`table=${flow.table}`, `priority=${flow.priority}`, `idle_timeout=${flow.idleTimeout}`, `hard_timeout=${flow.hardTimeout}`];
  const flags = (flow.flags ?? []).filter((f) => f !== "reset_counts");
  if (flags.length) parts.push(`flags=${[...flags].sort().join("+")}`);
  if (flow.importance) parts.push(`importance=${flow.importance}`);
  parts.push(`match=${match.canonical}`, `actions=${actions.canonical}`);
  // Text the reader could not read stays in, verbatim: such a flow equals nothing we want.
  if (match.problems.length || actions.problems.length) parts.push(`unreadable=${flow.match} ${flow.actions}`);
  return parts.join(" ");
}

const sameCookie = (a: string, b: string) => BigInt(a) === BigInt(b);

/** Our flows on the host: the dump is filtered by cookie already; this guards fixtures and old OVS. */
export function flowsOf(live: LiveFlows, cookie: string): DumpedFlow[] {
  return live.flows.filter((f) => sameCookie(f.cookie, cookie));
}

/** What makes two flows one to OVS (a second `add` replaces the first): table, priority and match. */
function identity(flow: Pick<DumpedFlow, "table" | "priority" | "match">, ports: PortNames): string {
  const match = parseMatch(flow.match, ports);
  // A match with fields we cannot read (someone else's conj_id, recirc_id...) is no flow of ours.
  const unreadable = match.problems.length ? ` unreadable=${flow.match}` : "";
  return `table=${flow.table},priority=${flow.priority},${match.canonical}${unreadable}`;
}

/**
 * Refuses to add a flow that would replace someone else's: OVS holds one flow per table,
 * priority and match, and an `add` overwrites it, cookie and all.
 */
function checkCollisions(bridge: string, desired: readonly FlowSpec[], live: LiveFlows, cookie: string, ports: PortNames): void {
  const slots = new Set(desired.map((f) => `${f.table}/${f.priority}`));
  const foreign = live.flows.filter((f) => !sameCookie(f.cookie, cookie) && slots.has(`${f.table}/${f.priority}`));
  if (foreign.length === 0) return;
  const byIdentity = new Map(foreign.map((f) => [identity(f, ports), f]));
  for (const want of desired) {
    const theirs = byIdentity.get(identity(want, ports));
    if (theirs) {
      throw new OwnershipConflict(
        `bridge ${bridge} already has a flow with table=${want.table}, priority=${want.priority} and match "${want.match}" ` +
          `under cookie ${theirs.cookie}, which is not ours (${cookie}); OVS keeps one flow per table, priority and match, ` +
          `so adding ours would replace it. Change the priority or the match, or remove that flow first.`,
      );
    }
  }
}

function sameFlows(desired: readonly FlowSpec[], live: readonly DumpedFlow[], ports: PortNames): boolean {
  if (desired.length !== live.length) return false;
  const a = desired.map((f) => canonicalFlow(f, ports)).sort();
  const b = live.map((f) => canonicalFlow(f, ports)).sort();
  return a.every((line, i) => line === b[i]);
}

function requireBridge(bridge: string, live: LiveFlows, subject: string): FlowBridge {
  if (!live.bridge) {
    throw new MissingBridgeError(`bridge ${bridge} does not exist on the host; create it first (e.g. a Bridge resource, passing its name output as the ${subject}'s bridge so it waits for it)`);
  }
  const problem = bundleProblem(live.bridge);
  if (problem) throw new OpenFlowVersionError(problem);
  return live.bridge;
}

const count = (n: number) => `${n} flow${n === 1 ? "" : "s"}`;

/**
 * Nothing when the flows of `cookie` are exactly `desired`; otherwise ONE bundle that
 * deletes every flow of `cookie` and adds `desired`, applied by OVS all or nothing.
 */
export function planFlows(bridge: string, desired: readonly FlowSpec[], live: LiveFlows, cookie: string, subject: string): Op[] {
  const { ports } = requireBridge(bridge, live, subject);
  const ours = flowsOf(live, cookie);
  if (sameFlows(desired, ours, ports)) return [];
  checkCollisions(bridge, desired, live, cookie, ports);
  const what = ours.length ? `replace ${count(ours.length)} with ${count(desired.length)}` : `add ${count(desired.length)}`;
  return [bundle(bridge, [deleteLine(cookie), ...desired.map((f) => addLine(f, cookie))], `${subject}: ${what} of cookie ${cookie} on bridge ${bridge}, atomically`)];
}

/** One bundle deleting the flows of `cookie` (and no other), or nothing when none are there. */
export function planFlowsDelete(bridge: string, live: LiveFlows, cookie: string, subject: string): Op[] {
  if (!live.bridge || flowsOf(live, cookie).length === 0) return [];
  return [bundle(bridge, [deleteLine(cookie)], `${subject}: delete the flows of cookie ${cookie} on bridge ${bridge}`)];
}

/** A dumped flow in the spec's words; port names lose the quotes OVS puts around them. */
export function renderFlow(flow: DumpedFlow): FlowSpec {
  return {
    table: flow.table, priority: flow.priority, match: unquoteAll(flow.match), actions: unquoteAll(flow.actions),
    idleTimeout: flow.idleTimeout, hardTimeout: flow.hardTimeout,
  };
}

/**
 * The host's flows in the spec's shape: `found` are the desired flows that are there (in
 * OVS's form), kept in the user's spelling so state and program agree; `extra` are the
 * other flows of our cookie, as OVS prints them. Undefined when the bridge is gone.
 */
export function observeFlows(desired: readonly FlowSpec[], live: LiveFlows, cookie: string): { found: FlowSpec[]; extra: FlowSpec[] } | undefined {
  if (!live.bridge) return undefined;
  const ports = live.bridge.ports;
  const remaining = flowsOf(live, cookie).map((f) => ({ flow: f, key: canonicalFlow(f, ports) }));
  const found: FlowSpec[] = [];
  for (const want of desired) {
    const key = canonicalFlow(want, ports);
    const at = remaining.findIndex((r) => r.key === key);
    if (at >= 0) (found.push(want), remaining.splice(at, 1));
  }
  return { found, extra: remaining.map((r) => renderFlow(r.flow)) };
}
