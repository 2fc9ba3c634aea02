// Reading a bridge's flows of one cookie: the bridge's protocols and port numbers from
// OVSDB, then `dump-flows` of that cookie, and of each table we write to (others' flows
// there are only read, to refuse replacing one). Shared by FlowRule and FlowTable.
// With the desired flows, OVS on the host also reads those (`parse-flows`, no write), so
// that the plan compares OVS's reading of both sides.
import { flowLine, parseFlows } from "../compile/ofctl";
import {
  flowBridgeOf, LiveFlows, OvsReading, parseFlowMods, parseFlowsRefusal, portNumbers,
} from "../live/flows";
import { bundleProblem, OpenFlowVersionError } from "../plan/flows";
import { FlowSpec } from "../schema/flow";
import { numberActions, numberMatch, PortNumbers } from "../openflow/resolve";
import { openFlow10Only } from "../openflow/versions";
import { Output, queryOutput, Reading, reading } from "./reading";
import { readFlowDumps, readOvs } from "./shared";

export function readFlows(
  bridge: string, cookie: string, tables: readonly number[], desired?: readonly FlowSpec[],
): Reading<LiveFlows> {
  return readOvs([bridge], (ovs): LiveFlows | Reading<LiveFlows> => {
    const flowBridge = flowBridgeOf(ovs, bridge);
    if (!flowBridge) return { flows: [] };
    // Refuse before OVS does: a dump or bundle in OpenFlow 1.4 would fail obscurely on this bridge.
    const problem = bundleProblem(flowBridge);
    if (problem) throw new OpenFlowVersionError(problem);
    return readFlowDumps(bridge, cookie, [...new Set(tables)], (ours, tabled) => {
      const flows = [...ours, ...tabled.flat().filter((f) => BigInt(f.cookie) !== BigInt(cookie))];
      if (!desired) return { bridge: flowBridge, flows };
      return readAsOvs(desired, portNumbers(flowBridge), (ovsReading) => ({ bridge: flowBridge, flows, ovs: ovsReading }));
    });
  });
}

/** The desired flows as `ovs-ofctl parse-flows` lines, port names turned into the bridge's numbers. */
export function ovsLines(desired: readonly FlowSpec[], numbers: PortNumbers): string[] {
  return desired.map((f) => flowLine({ ...f, match: numberMatch(f.match, numbers), actions: numberActions(f.actions, numbers) }));
}

/** What OVS makes of the desired flows: one parse-flows run; a refusal is pinned to its flow. */
export function readAsOvs<Live>(
  desired: readonly FlowSpec[], numbers: PortNumbers, then: (reading: OvsReading) => Live,
): Live | Reading<Live> {
  if (desired.length === 0) return then({ flows: [] });
  const lines = ovsLines(desired, numbers);
  return reading([queryOutput(parseFlows(lines), (out: Output) => out)], (result) => {
    if (result.code === 0) {
      const flows = parseFlowMods(result.stdout);
      if (flows.length === desired.length) return then({ flows });
      throw new Error(`ovs-ofctl parse-flows printed ${flows.length} flows for ${desired.length}`);
    }
    const refused = parseFlowsRefusal(result.stderr);
    if (refused.index !== undefined) return then({ refused: { index: refused.index, reason: refused.reason } });
    // "no usable protocol": the flows as a whole need OpenFlow 1.0; find the first such flow.
    return firstRefused(lines, 0, lines.length, (index) => then({ refused: { index, reason: openFlow10Only(desired[index]) } }));
  });
}

/** The first line OVS refuses on its own: a binary search over prefixes (a failing prefix stays failing). */
function firstRefused<Live>(lines: readonly string[], ok: number, bad: number, then: (index: number) => Live): Live | Reading<Live> {
  // lines[0..ok) parse; lines[0..bad) do not
  if (bad - ok <= 1) return then(bad - 1);
  const mid = (ok + bad) >> 1;
  return reading([queryOutput(parseFlows(lines.slice(0, mid)), (out: Output) => out.code === 0)], (parses) =>
    parses ? firstRefused(lines, mid, bad, then) : firstRefused(lines, ok, mid, then));
}
