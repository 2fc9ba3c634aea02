// Flows as the host has them, from `ovs-ofctl dump-flows` (with or without --names and
// --no-stats), and the bridge facts that reading them needs (protocols, port numbers).
import { splitTopLevel } from "../openflow/syntax";
import { PortNames } from "../openflow/ports";
import { FLOW_FLAGS } from "../openflow/fields";
import { BridgeFlow, LiveBridges } from "./bridge";
import { PARSE_EXIT } from "../compile/ofctl";

/** A flow as `dump-flows` prints it: the cookie as OVS prints it (`0x0` when the line shows none), the match without `priority=`. */
export type DumpedFlow = BridgeFlow;

/** What the flow planner needs to know of the bridge. */
export interface FlowBridge {
  name: string;
  protocols: string[];
  ports: PortNames;
}

export interface LiveFlows {
  /** Undefined when the bridge does not exist. */
  bridge?: FlowBridge;
  /** Our flows (every table), and the flows of other cookies in the tables we write to. */
  flows: DumpedFlow[];
  /** What OVS on the host makes of the desired flows; absent without a host (mocks, `ovslab plan`). */
  ovs?: OvsReading;
}

const DEFAULT_PRIORITY = 32768;

/** A flow with OVS's defaults for everything a printed line leaves out. */
function defaultFlow(actions: string): DumpedFlow {
  const timeouts = { idleTimeout: 0, hardTimeout: 0, importance: 0 };
  return { cookie: "0x0", table: 0, priority: DEFAULT_PRIORITY, ...timeouts, flags: [], match: "", actions };
}

/** Splits at spaces outside quotes (a quoted port name may contain anything). */
function words(text: string): string[] {
  return text.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function parseLine(line: string): DumpedFlow {
  const found = /(?:^|\s)actions=/.exec(line);
  if (!found) throw new Error(`dump-flows line without actions: ${line}`);
  const at = found.index + found[0].indexOf("actions=");
  const flow = defaultFlow(line.slice(at + 8).trim());
  const match: string[] = [];
  for (const word of words(line.slice(0, at))) {
    const bare = word.replace(/,$/, "");
    const [key, value] = bare.split("=", 2);
    if (word.endsWith(",") && value !== undefined && !bare.includes(",")) {
      // Statistics and flow-mod settings: `cookie=0x1, duration=1.2s, table=3, ...`.
      if (key === "cookie") flow.cookie = value;
      else if (key === "table") flow.table = Number(value);
      else if (key === "idle_timeout") flow.idleTimeout = Number(value);
      else if (key === "hard_timeout") flow.hardTimeout = Number(value);
      else if (key === "importance") flow.importance = Number(value);
    } else if (FLOW_FLAGS.has(bare)) flow.flags.push(bare);
    else match.push(word);
  }
  const items = splitTopLevel(match.join(" "));
  if (items[0]?.startsWith("priority=")) flow.priority = Number(items.shift()!.slice(9));
  flow.match = items.join(",");
  return flow;
}

/** Every flow line of a dump; headers (`OFPST_FLOW reply ...`) and blank lines are skipped. */
export function parseFlowDump(stdout: string): DumpedFlow[] {
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(OFPST|NXST)_FLOW/.test(line))
    .map(parseLine);
}

/**
 * What OVS makes of the desired flows (`ovs-ofctl parse-flows` on the host): each flow in
 * OVS's own words, index for index, or the first flow it refuses and why.
 */
export type OvsReading = { flows: DumpedFlow[] } | { refused: { index: number; reason: string } };

const FLOW_MOD_SETTINGS: Record<string, keyof DumpedFlow> = {
  cookie: "cookie",
  idle: "idleTimeout",
  hard: "hardTimeout",
  importance: "importance",
};

/**
 * `parse-flows` output: one `OFPT_FLOW_MOD (OF1.4) (xid=0x1): ADD table:3 priority=7,in_port=1
 * idle:5 send_flow_rem actions=...` per flow; the header lines and log lines are skipped.
 * The match is printed by the same code as in `dump-flows`, so the two compare as text.
 */
export function parseFlowMods(stdout: string): DumpedFlow[] {
  const flows: DumpedFlow[] = [];
  for (const line of stdout.split("\n")) {
    const head = /^OFPT_FLOW_MOD \([^)]*\) \(xid=[^)]*\): ADD /.exec(line);
    if (!head) continue;
    const rest = line.slice(head[0].length);
    const at = rest.startsWith("actions=") ? 0 : rest.indexOf(" actions=") + 1;
    const flow = defaultFlow(rest.slice(at + 8).trim());
    for (const word of rest.slice(0, at).split(" ").filter(Boolean)) {
      const [key, value] = word.split(":", 2);
      if (key === "table" && value !== undefined) flow.table = Number(value);
      else if (value !== undefined && Object.prototype.hasOwnProperty.call(FLOW_MOD_SETTINGS, key)) {
        (flow as unknown as Record<string, unknown>)[FLOW_MOD_SETTINGS[key]] = key === "cookie" ? value : Number(value);
      } else if (FLOW_FLAGS.has(word)) flow.flags.push(word);
      else {
        const items = splitTopLevel(word);
        if (items[0]?.startsWith("priority=")) flow.priority = Number(items.shift()!.slice(9));
        flow.match = items.join(",");
      }
    }
    flows.push(flow);
  }
  return flows;
}

/** `parseFlows` output: OVS's reading of every flow, or the first flow it refuses (index when OVS names it) and why. */
export function parseFlowsReport(stdout: string): { flows: DumpedFlow[] } | { index?: number; reason: string } {
  const at = stdout.lastIndexOf(PARSE_EXIT);
  const code = at < 0 ? NaN : Number(stdout.slice(at + PARSE_EXIT.length).trim());
  if (code === 0) return { flows: parseFlowMods(stdout) };
  const lines = stdout
    .slice(0, Math.max(at, 0))
    .split("\n")
    .filter((l) => l.startsWith("ovs-ofctl: "));
  const last = lines.at(-1)?.replace(/^ovs-ofctl: /, "") ?? `ovs-ofctl parse-flows failed (exit ${code})`;
  const pinned = /^-:(\d+): (.*)$/.exec(last);
  return pinned ? { index: Number(pinned[1]) - 1, reason: pinned[2] } : { reason: last };
}

/** Port name -> number, the other way round from the bridge's port table. */
export function portNumbers(bridge: FlowBridge): Map<string, number> {
  // The bridge's own port is LOCAL (65534), whether or not the port table lists it.
  return new Map([...[...bridge.ports.byNumber].map(([n, name]): [string, number] => [name, n]), [bridge.name, 65534]]);
}

/** The bridge as flows see it: its protocols and port number -> name (the bridge's own port is LOCAL). */
export function flowBridgeOf(live: LiveBridges, name: string): FlowBridge | undefined {
  const bridge = live.bridges.find((b) => b.name === name);
  if (!bridge) return undefined;
  const byNumber = new Map<number, string>();
  for (const port of bridge.ports)
    if (port.ofport !== undefined && port.ofport > 0) byNumber.set(port.ofport, port.name);
  return { name, protocols: bridge.protocols, ports: { bridge: name, byNumber } };
}
