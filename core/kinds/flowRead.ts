// Reading a bridge's flows of one cookie: the bridge's protocols and port numbers from
// OVSDB, then `dump-flows` of that cookie, and of each table we write to (others' flows
// there are only read, to refuse replacing one). Shared by FlowRule and FlowTable.
import { dumpFlows, dumpTable } from "../compile/ofctl";
import { readBridges } from "../compile/vsctl";
import { parseBridges } from "../live/bridge";
import { DumpedFlow, flowBridgeOf, LiveFlows, parseFlowDump } from "../live/flows";
import { bundleProblem, OpenFlowVersionError } from "../plan/flows";
import { Query, query, Reading, reading } from "./reading";

export function readFlows(bridge: string, cookie: string, tables: readonly number[]): Reading<LiveFlows> {
  return reading([query(readBridges([bridge]), parseBridges)], (ovs): LiveFlows | Reading<LiveFlows> => {
    const flowBridge = flowBridgeOf(ovs, bridge);
    if (!flowBridge) return { flows: [] };
    // Refuse before OVS does: a dump or bundle in OpenFlow 1.4 would fail obscurely on this bridge.
    const problem = bundleProblem(flowBridge);
    if (problem) throw new OpenFlowVersionError(problem);
    const ops = [dumpFlows(bridge, cookie), ...[...new Set(tables)].map((t) => dumpTable(bridge, t))];
    const dumps: Query<DumpedFlow[]>[] = ops.map((op) => query(op, parseFlowDump));
    return reading(dumps, (ours, ...tabled) => ({
      bridge: flowBridge,
      flows: [...ours, ...tabled.flat().filter((f) => BigInt(f.cookie) !== BigInt(cookie))],
    }));
  });
}
