// ovs-ofctl commands for flows we own. Every write is ONE `ovs-ofctl --bundle add-flows BR -`
// (flows on stdin): OVS applies a bundle all or nothing, so deleting our old flows and
// adding the new ones never leaves a moment without them. Never `replace-flows`: it
// deletes every flow not in the file, other owners' too (REFERENCE.md).
import { Op } from "../shell";

/**
 * Bundles need OpenFlow 1.4, and reading with the same version keeps what we write and
 * what we read back in one encoding (OVS prints some actions differently per version).
 */
export const FLOW_PROTOCOL = "OpenFlow14";

/** The OpenFlow versions a bridge may allow: ovs-ofctl picks the highest it shares. */
const ANY_VERSION = "OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15";

/** The fields of one flow as ovs-ofctl takes them. */
export interface FlowText {
  table: number;
  priority: number;
  match: string;
  actions: string;
  idleTimeout: number;
  hardTimeout: number;
}

/**
 * Our flows only: `--no-names` and `--no-stats` explicitly (their defaults depend on the
 * terminal). Port numbers, not names: `parse-flows` prints the desired flows that way too,
 * so the two compare as OVS's own text.
 */
export function dumpFlows(bridge: string, cookie: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "--no-stats", "--no-names", "dump-flows", bridge, `cookie=${cookie}/-1`],
    why: `read the flows of cookie ${cookie} on bridge ${bridge}`,
  };
}

/**
 * Every flow of one table, whoever owns it: read (never written) to find a flow of another
 * cookie with the same table, priority and match as ours, which our `add` would replace.
 */
export function dumpTable(bridge: string, table: number): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "--no-stats", "--no-names", "dump-flows", bridge, `table=${table}`],
    why: `read table ${table} of bridge ${bridge}, to see flows ours would collide with`,
  };
}

/** Every flow of a bridge in the form the two above print: the host-wide read they are parts of. */
export function dumpBridge(bridge: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "--no-stats", "--no-names", "dump-flows", bridge],
    why: `read every flow of bridge ${bridge}, shared by every flow resource of it`,
  };
}

/**
 * The bridges ovs-vswitchd runs, under each datapath. A bridge it could not set up is
 * missing, even where OVSDB still shows the OpenFlow port of the datapath it ran on before.
 */
export function showDatapaths(): Op {
  return { argv: ["ovs-appctl", "dpif/show"], why: "read which bridges ovs-vswitchd runs" };
}

/**
 * Every flow of a bridge as a person reads it (the text `ovslab adopt` declares): port names, no
 * statistics, in `protocol` (OpenFlow 1.0 prints `strip_vlan` and `mod_vlan_vid:1` where
 * 1.4 prints `pop_vlan` and `push_vlan:0x8100,set_field:4097->vlan_vid`).
 */
export function dumpFlowsAsShown(bridge: string, protocol: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", protocol, "--no-stats", "--names", "dump-flows", bridge],
    why: `read every flow of bridge ${bridge}, with port names`,
  };
}

/** The bridge's groups: read only when a desired flow names one (`group:N`), which OVS refuses if absent. */
export function dumpGroups(bridge: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "dump-groups", bridge],
    why: `read the groups of bridge ${bridge}, which our flows name`,
  };
}

/** The bridge's TLV map: read only when a desired flow names a `tun_metadataN` field, which needs a mapping. */
export function dumpTlvMap(bridge: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "dump-tlv-map", bridge],
    why: `read the TLV map of bridge ${bridge}, for the tun_metadata fields our flows name`,
  };
}

/**
 * Every flow of a bridge, whoever owns it, in whatever OpenFlow version the bridge allows:
 * read before deleting a bridge, whose flows of other owners must not go with it.
 */
export function dumpAllFlows(bridge: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", ANY_VERSION, "--no-stats", "--no-names", "dump-flows", bridge],
    why: `read every flow of bridge ${bridge}, to keep it if someone else's flows are on it`,
  };
}

/** `table=0,priority=4[,cookie=C],in_port=phy-br-ex,dl_vlan=1,actions=strip_vlan,NORMAL`, as ovs-ofctl reads it. */
export function flowLine(flow: FlowText, cookie?: string): string {
  const parts = [`table=${flow.table}`, `priority=${flow.priority}`];
  if (cookie !== undefined) parts.push(`cookie=${cookie}`);
  if (flow.idleTimeout) parts.push(`idle_timeout=${flow.idleTimeout}`);
  if (flow.hardTimeout) parts.push(`hard_timeout=${flow.hardTimeout}`);
  if (flow.match) parts.push(flow.match);
  parts.push(`actions=${flow.actions}`);
  return parts.join(",");
}

/** `add table=0,priority=4,cookie=C,in_port=phy-br-ex,dl_vlan=1,actions=strip_vlan,NORMAL`. */
export function addLine(flow: FlowText, cookie: string): string {
  return `add ${flowLine(flow, cookie)}`;
}

/**
 * Changes the actions of the one flow of this table, priority and match, keeping its
 * counters and age (an add would reset them: counters are how people debug a lab).
 */
export function modifyLine(flow: FlowText, cookie: string): string {
  return `modify_strict ${flowLine(flow, cookie)}`;
}

/** Deletes the one flow of this table, priority and match, and only if it carries our cookie. */
export function deleteStrictLine(flow: Pick<FlowText, "table" | "priority" | "match">, cookie: string): string {
  const parts = [`table=${flow.table}`, `priority=${flow.priority}`, `cookie=${cookie}/-1`];
  if (flow.match) parts.push(flow.match);
  return `delete_strict ${parts.join(",")}`;
}

/** Every flow with exactly this cookie, in every table, and no other. */
export function deleteLine(cookie: string): string {
  return `delete cookie=${cookie}/-1`;
}

/**
 * What OVS makes of flows, without a bridge and without writing anything: each flow
 * encoded in OpenFlow 1.4 (as our bundles send it) and printed back, or OVS's reason for
 * refusing the first one it cannot take. The flows go on stdin, one per line; the fixed
 * script reports OVS's exit status on the last line, so a refusal is an answer, not a failure.
 */
export function parseFlows(lines: readonly string[]): Op {
  return {
    argv: ["sh", "-c", `ovs-ofctl -O ${FLOW_PROTOCOL} parse-flows - 2>&1; echo "${PARSE_EXIT}$?"`],
    stdin: lines.join("\n") + "\n",
    why: `read ${lines.length} flow(s) the way Open vSwitch reads them`,
  };
}

/** Marks the exit status line of `parseFlows`. */
export const PARSE_EXIT = "ovslab-parse-flows-exit=";

/** One atomic bundle: the lines (add/delete ...) go on stdin. */
export function bundle(bridge: string, lines: readonly string[], why: string): Op {
  return {
    argv: ["ovs-ofctl", "-O", FLOW_PROTOCOL, "--bundle", "add-flows", bridge, "-"],
    stdin: lines.join("\n") + "\n",
    why,
  };
}

/** Whether `op` is a `bundle`: flow-mod lines applied as one atomic OpenFlow bundle. */
export const isBundle = (op: Op): boolean => op.argv[0] === "ovs-ofctl" && op.argv.includes("--bundle");

/** The one version in which a modify with a cookie (no mask) changes a flow's cookie. */
export const COOKIE_MOVE_PROTOCOL = "OpenFlow10";

/**
 * Moves flows someone else added to our cookie, in place: for each, `modify_strict` of its
 * table, priority and match, guarded by its present cookie (`cookie=OLD/-1`), with its own
 * actions and `cookie=NEW`. Checked on OVS 3.1: only OpenFlow 1.0 changes a cookie by a
 * modify (1.1 and later keep it, bundles included), and the modify keeps `n_packets` and
 * `duration`; an `add` over the flow would change the cookie but restart its duration. A
 * modify never removes the flow and only the cookie changes, which no packet looks at, so
 * there is no gap; OpenFlow 1.0 has no bundles, so each flow moves on its own, guarded.
 */
export function moveCookies(
  bridge: string,
  flows: ReadonlyArray<FlowText & { cookie: string }>,
  to: string,
  why: string,
): Op | undefined {
  if (flows.length === 0) return undefined;
  const line = (f: FlowText & { cookie: string }) =>
    [`modify_strict table=${f.table}`, `priority=${f.priority}`, `cookie=${f.cookie}/-1`, `cookie=${to}`,
      ...(f.match ? [f.match] : []), `actions=${f.actions}`].join(",");
  return {
    argv: ["ovs-ofctl", "-O", COOKIE_MOVE_PROTOCOL, "add-flows", bridge, "-"],
    stdin: flows.map((f) => line(f) + "\n").join(""),
    why,
  };
}

/** A flow as `dump-flows --no-names` printed it, with everything `add-flows` needs to make it again. */
export interface DumpedFlowText extends FlowText {
  cookie: string;
  importance: number;
  flags: string[];
}

/**
 * Adds back, exactly as they were (cookie, table, priority, timeouts, flags, match, actions),
 * flows that OVS flushed: it deletes every flow of a bridge when its fail_mode changes.
 */
export function restoreFlows(bridge: string, flows: DumpedFlowText[]): Op | undefined {
  if (flows.length === 0) return undefined;
  const line = (f: DumpedFlowText) =>
    [
      `cookie=${f.cookie}`,
      `table=${f.table}`,
      `priority=${f.priority}`,
      ...(f.idleTimeout ? [`idle_timeout=${f.idleTimeout}`] : []),
      ...(f.hardTimeout ? [`hard_timeout=${f.hardTimeout}`] : []),
      ...(f.importance ? [`importance=${f.importance}`] : []),
      ...f.flags,
      ...(f.match ? [f.match] : []),
      `actions=${f.actions}`,
    ].join(",");
  return {
    argv: ["ovs-ofctl", "-O", ANY_VERSION, "add-flows", bridge, "-"],
    stdin: flows.map((f) => line(f) + "\n").join(""),
    why: `add back the ${flows.length} flow(s) on bridge ${bridge} that OVS flushes when its fail_mode changes`,
  };
}

