// Reading a bridge's flows of one cookie: the bridge's protocols and port numbers from
// OVSDB, then `dump-flows` of that cookie, and of each table we write to (others' flows
// there are only read, to refuse replacing one). Shared by FlowRule and FlowTable.
// With the desired flows, OVS on the host also reads those (`parse-flows`, no write, port
// names turned into the bridge's numbers), so the plan compares OVS's reading of both sides.
import { dumpFlows, flowLine, isBundle, parseFlows } from "../compile/ofctl";
import {
  flowBridgeOf,
  LiveFlows,
  OvsReading,
  parseFlowDump,
  parseFlowsReport,
  portNumbers,
} from "../live/flows";
import { bundleProblem, OpenFlowVersionError, sameCookie } from "../plan/flows";
import { FlowSpec } from "../schema/flow";
import { Op } from "../shell";
import { numberActions, numberMatch, PortNumbers } from "../openflow/resolve";
import { openFlow10Only } from "../openflow/versions";
import { Query, query, Reading, reading } from "./reading";
import { readFlowDumps, readOvs } from "./shared";
import { prerequisites } from "./flowPrerequisites";

export function readFlows(
  bridge: string,
  cookie: string,
  tables: readonly number[],
  desired?: readonly FlowSpec[],
): Reading<LiveFlows> {
  return readOvs([bridge], (ovs): LiveFlows | Reading<LiveFlows> => {
    const flowBridge = flowBridgeOf(ovs, bridge);
    if (!flowBridge) return { flows: [] };
    // Refuse before OVS does: a dump or bundle in OpenFlow 1.4 would fail obscurely on this bridge.
    const problem = bundleProblem(flowBridge);
    if (problem) throw new OpenFlowVersionError(problem);
    // The dumps may come from one shared dump of the bridge (shared.ts); OVS's reading of
    // the desired text depends on nothing a write changes, so the providers keep it ("pure").
    const lines = desired?.length ? ovsLines(desired, portNumbers(flowBridge)) : [];
    const parsed = lines.length ? [query(parseFlows(lines), parseFlowsReport, "pure")] : [];
    // The groups / TLV map a flow names, in the same round: OVS would refuse the bundle without them.
    const needs = prerequisites(bridge, lines);
    const extra = [...parsed, ...needs.queries];
    return readFlowDumps(bridge, cookie, [...new Set(tables)], extra, (ours, tabled, [report, ...state]) => {
      const live: LiveFlows = {
        bridge: flowBridge,
        flows: [...ours, ...tabled.flat().filter((f) => BigInt(f.cookie) !== BigInt(cookie))],
      };
      if (!desired) return live;
      const ovs = asReading((report as Report | undefined) ?? { flows: [] }, desired, lines);
      const missing = "flows" in ovs ? needs.refusal(state) : undefined;
      return withReading(live, missing ? { refused: missing } : ovs);
    });
  });
}

/**
 * The read back after `ops` ran where `readFlows` found `before`. When every op is a bundle
 * of our cookie's lines, all they can have changed is our cookie's flows: the bridge, OVS's
 * reading of the desired flows and the other cookies' flows (an add that would replace one
 * is refused by the plan) are kept from `before`, and one dump of our cookie is read instead
 * of the bridge, our cookie and each table we write to. Anything else (a move of someone's
 * flows to our cookie, no bridge found before): the full read, `again`.
 */
export function readFlowsAfter(
  bridge: string,
  cookie: string,
  ops: readonly Op[],
  before: LiveFlows,
  again: () => Reading<LiveFlows>,
): Reading<LiveFlows> {
  if (!ops.every(isBundle) || !before.bridge) return again();
  const others = before.flows.filter((f) => !sameCookie(f.cookie, cookie));
  return reading([query(dumpFlows(bridge, cookie), parseFlowDump)], (ours) => ({
    ...before,
    flows: [...ours, ...others],
  }));
}

/** The desired flows as `ovs-ofctl parse-flows` lines, port names turned into the bridge's numbers. */
export function ovsLines(desired: readonly FlowSpec[], numbers: PortNumbers): string[] {
  return desired.map((f) =>
    flowLine({ ...f, match: numberMatch(f.match, numbers), actions: numberActions(f.actions, numbers) }),
  );
}

function withReading(live: LiveFlows, ovs: OvsReading | Reading<OvsReading>): LiveFlows | Reading<LiveFlows> {
  if ("queries" in ovs)
    return reading(ovs.queries as Query<unknown>[], (...r: unknown[]) => withReading(live, ovs.next(r)));
  return { ...live, ovs };
}

type Report = ReturnType<typeof parseFlowsReport>;

/** OVS's report as a reading of the flows; a refusal OVS did not pin to a line is pinned by bisection. */
function asReading(
  report: Report,
  desired: readonly FlowSpec[],
  lines: readonly string[],
): OvsReading | Reading<OvsReading> {
  if ("flows" in report) {
    if (report.flows.length === desired.length) return { flows: report.flows };
    return {
      refused: { index: 0, reason: `ovs-ofctl parse-flows printed ${report.flows.length} flows for ${desired.length}` },
    };
  }
  if (report.index !== undefined) return { refused: { index: report.index, reason: report.reason } };
  // "no usable protocol": the flows as a whole need OpenFlow 1.0; find the first such flow.
  return bisect(lines, 0, lines.length, (index) => ({ refused: { index, reason: openFlow10Only(desired[index]) } }));
}

/** lines[0..ok) parse, lines[0..bad) do not: halve until one line is left (a failing prefix stays failing). */
function bisect(
  lines: readonly string[],
  ok: number,
  bad: number,
  done: (index: number) => OvsReading,
): OvsReading | Reading<OvsReading> {
  if (bad - ok <= 1) return done(bad - 1);
  const mid = (ok + bad) >> 1;
  return reading([query(parseFlows(lines.slice(0, mid)), parseFlowsReport)], (report) =>
    "flows" in report ? bisect(lines, mid, bad, done) : bisect(lines, ok, mid, done),
  );
}
