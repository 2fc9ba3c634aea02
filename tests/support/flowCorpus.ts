// The flow corpus (tests/fixtures/flows/corpus.tsv): real flows written by others, each
// with where it came from, read into the FlowArgs ovslab takes.
import { readFileSync } from "fs";
import { join } from "path";
import { splitTopLevel } from "../../core/openflow/syntax";
import { numberActions, numberMatch } from "../../core/openflow/resolve";
import { isActionName } from "../../core/openflow/actions";
import { RESERVED_PORTS, PORT_NAME } from "../../core/openflow/ports";

/** Numbers that are not numbers (`table=zero`) stay text, for the schema to refuse. */
export interface FlowText {
  table: number | string;
  priority: number | string;
  match: string;
  actions: string;
  idleTimeout: number | string;
  hardTimeout: number | string;
}

export interface CorpusFlow {
  origin: string;
  /** `openvswitch/ovs@d6a632a tests/ovs-ofctl.at:123`. */
  source: string;
  /** The flow as found, which `ovs-ofctl add-flow` takes as it is. */
  text: string;
  /** As ovslab's FlowArgs, or why the text cannot be one (a filter field such as out_port). */
  args: FlowText | string;
}

/** `cookie=0x5, table=3, priority=7,in_port=1 actions=drop` -> FlowArgs (cookie, stats and importance left out). */
export function corpusArgs(text: string): CorpusFlow["args"] {
  const at = /(^|[\s,])actions=/.exec(text);
  if (!at) return "no actions=";
  const actions = text.slice(at.index + at[0].length).trim();
  const args: FlowText = { table: 0, priority: 32768, match: "", actions, idleTimeout: 0, hardTimeout: 0 };
  const match: string[] = [];
  for (const item of splitTopLevel(text.slice(0, at.index))) {
    const [key, value] = [item.split("=")[0], item.split("=").slice(1).join("=")];
    const n = Number(value);
    if (key === "cookie" || key === "importance") continue; // ours is the resource's; importance is not a spec field
    if (key === "out_port" || key === "out_group")
      return `${key} is a filter of delete/dump commands, not part of a flow`;
    if (["table", "priority", "idle_timeout", "hard_timeout"].includes(key)) {
      const v = Number.isInteger(n) && value !== "" ? n : value;
      if (key === "table") args.table = v;
      else if (key === "priority") args.priority = v;
      else if (key === "idle_timeout") args.idleTimeout = v;
      else args.hardTimeout = v;
    } else match.push(item);
  }
  args.match = match.join(",");
  return args;
}

export function loadCorpus(): CorpusFlow[] {
  const text = readFileSync(join(__dirname, "../fixtures/flows/corpus.tsv"), "utf8");
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((line) => {
      const [origin, repo, commit, path, lineNo, flow] = line.split("\t");
      return { origin, source: `${repo}@${commit.slice(0, 7)} ${path}:${lineNo}`, text: flow, args: corpusArgs(flow) };
    });
}

/** Port names a flow refers to (in_port, output, bare ports...), found where ovslab resolves names. */
export function portNamesIn(args: { match: string; actions: string }): string[] {
  const names = new Set<string>();
  const recorder = { get: (name: string) => void names.add(name) } as unknown as ReadonlyMap<string, number>;
  numberMatch(args.match, recorder);
  numberActions(args.actions, recorder);
  const reserved = new Set<string>(RESERVED_PORTS);
  return [...names].filter(
    (n) =>
      PORT_NAME.test(n) &&
      !reserved.has(n.toUpperCase()) &&
      !isActionName(n) &&
      !/^[0-9]+$/.test(n) &&
      !/^(NXM|OXM|NXOXM)_/.test(n),
  );
}
