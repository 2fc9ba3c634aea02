// Flows as the host has them, from `ovs-ofctl dump-flows` (with or without --names and
// --no-stats), and the bridge facts that reading them needs (protocols, port numbers).
import { splitTopLevel } from "../openflow/syntax";
import { PortNames } from "../openflow/ports";
import { LiveBridges } from "./bridge";

export interface DumpedFlow {
  /** As OVS prints it: `0x1234`; `0x0` when the line shows none. */
  cookie: string;
  table: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  importance: number;
  /** Flow-mod flags such as `send_flow_rem`, `reset_counts`. */
  flags: string[];
  /** The match without `priority=`, as printed (port names may be quoted). */
  match: string;
  actions: string;
}

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
}

const FLAGS = new Set(["send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts", "no_readonly_table", "no_buffer"]);
const DEFAULT_PRIORITY = 32768;

/** Splits at spaces outside quotes (a quoted port name may contain anything). */
function words(text: string): string[] {
  return text.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function parseLine(line: string): DumpedFlow {
  const found = /(?:^|\s)actions=/.exec(line);
  if (!found) throw new Error(`dump-flows line without actions: ${line}`);
  const at = found.index + found[0].indexOf("actions=");
  const flow: DumpedFlow = { cookie: "0x0", table: 0, priority: DEFAULT_PRIORITY, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: [], match: "", actions: line.slice(at + 8).trim() };
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
    } else if (FLAGS.has(bare)) flow.flags.push(bare);
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

/** The bridge as flows see it: its protocols and port number -> name (the bridge's own port is LOCAL). */
export function flowBridgeOf(live: LiveBridges, name: string): FlowBridge | undefined {
  const bridge = live.bridges.find((b) => b.name === name);
  if (!bridge) return undefined;
  const byNumber = new Map<number, string>();
  for (const port of bridge.ports) if (port.ofport !== undefined && port.ofport > 0) byNumber.set(port.ofport, port.name);
  return { name, protocols: bridge.protocols, ports: { bridge: name, byNumber } };
}
