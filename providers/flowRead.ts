// Reading a bridge's flows of one cookie: the bridge's protocols and port numbers from
// OVSDB, then `dump-flows` of that cookie, and of each table we write to (others' flows
// there are only read, to refuse replacing one). Shared by FlowRule and FlowTable.
// With the desired flows, OVS on the host also reads those (`parse-flows`, no write), so
// that the plan compares OVS's reading of both sides.
import { dumpFlows, dumpTable, flowLine, parseFlows } from "../core/compile/ofctl";
import { readBridges } from "../core/compile/vsctl";
import { parseBridges } from "../core/live/bridge";
import {
  flowBridgeOf, LiveFlows, OvsReading, parseFlowDump, parseFlowMods, parseFlowsRefusal, portNumbers,
} from "../core/live/flows";
import { bundleProblem, OpenFlowVersionError } from "../core/plan/flows";
import { FlowSpec } from "../core/schema/flow";
import { numberActions, numberMatch, PortNumbers } from "../core/openflow/resolve";
import { openFlow10Only } from "../core/openflow/versions";
import { runChecked, Transport } from "../transport/types";

export async function readFlows(
  host: Transport, bridge: string, cookie: string, tables: readonly number[], desired?: readonly FlowSpec[],
): Promise<LiveFlows> {
  const flowBridge = flowBridgeOf(parseBridges((await runChecked(host, readBridges([bridge]))).stdout), bridge);
  if (!flowBridge) return { flows: [] };
  // Refuse before OVS does: a dump or bundle in OpenFlow 1.4 would fail obscurely on this bridge.
  const problem = bundleProblem(flowBridge);
  if (problem) throw new OpenFlowVersionError(`${host.label}: ${problem}`);
  const ours = parseFlowDump((await runChecked(host, dumpFlows(bridge, cookie))).stdout);
  const others = [];
  for (const table of new Set(tables)) {
    const dumped = parseFlowDump((await runChecked(host, dumpTable(bridge, table))).stdout);
    others.push(...dumped.filter((f) => BigInt(f.cookie) !== BigInt(cookie)));
  }
  const ovs = desired ? await readAsOvs(host, desired, portNumbers(flowBridge)) : undefined;
  return { bridge: flowBridge, flows: [...ours, ...others], ovs };
}

/** The desired flows as `ovs-ofctl parse-flows` lines, port names turned into the bridge's numbers. */
export function ovsLines(desired: readonly FlowSpec[], numbers: PortNumbers): string[] {
  return desired.map((f) => flowLine({ ...f, match: numberMatch(f.match, numbers), actions: numberActions(f.actions, numbers) }));
}

/** What OVS makes of the desired flows: one parse-flows run; a refusal is pinned to its flow. */
export async function readAsOvs(host: Transport, desired: readonly FlowSpec[], numbers: PortNumbers): Promise<OvsReading> {
  if (desired.length === 0) return { flows: [] };
  const lines = ovsLines(desired, numbers);
  const result = await host.run(parseFlows(lines));
  if (result.code === 0) {
    const flows = parseFlowMods(result.stdout);
    if (flows.length === desired.length) return { flows };
    throw new Error(`${host.label}: ovs-ofctl parse-flows printed ${flows.length} flows for ${desired.length}`);
  }
  const refused = parseFlowsRefusal(result.stderr);
  if (refused.index !== undefined) return { refused: { index: refused.index, reason: refused.reason } };
  // "no usable protocol": the flows as a whole need OpenFlow 1.0; find the first such flow.
  const index = await firstRefused(host, lines);
  return { refused: { index, reason: openFlow10Only(desired[index]) } };
}

/** The first line OVS refuses on its own: a binary search over prefixes (a failing prefix stays failing). */
async function firstRefused(host: Transport, lines: readonly string[]): Promise<number> {
  let [ok, bad] = [0, lines.length]; // lines[0..ok) parse; lines[0..bad) do not
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    if ((await host.run(parseFlows(lines.slice(0, mid)))).code === 0) ok = mid;
    else bad = mid;
  }
  return bad - 1;
}
