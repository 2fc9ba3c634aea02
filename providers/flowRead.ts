// Reading a bridge's flows of one cookie: the bridge's protocols and port numbers from
// OVSDB, then `dump-flows` of that cookie, and of each table we write to (others' flows
// there are only read, to refuse replacing one). Shared by FlowRule and FlowTable.
import { dumpFlows, dumpTable } from "../core/compile/ofctl";
import { readBridges } from "../core/compile/vsctl";
import { parseBridges } from "../core/live/bridge";
import { flowBridgeOf, LiveFlows, parseFlowDump } from "../core/live/flows";
import { bundleProblem, OpenFlowVersionError } from "../core/plan/flows";
import { runChecked, Transport } from "../transport/types";

export async function readFlows(host: Transport, bridge: string, cookie: string, tables: readonly number[]): Promise<LiveFlows> {
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
  return { bridge: flowBridge, flows: [...ours, ...others] };
}
