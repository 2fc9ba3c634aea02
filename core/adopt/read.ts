// What `ovslab adopt` reads, as data (core/kinds/reading.ts): the reads the kinds use,
// host-wide. Round one: every Bridge/Port/Interface row and every namespace (one command);
// round two: every flow of each selected bridge, with port names, in OpenFlow 1.4 (the
// version ovslab writes in) and in OpenFlow 1.0 (the words people write); round three: OVS
// reads both back (`parse-flows`, no bridge, no write) and is the judge of which 1.0 text
// means exactly the 1.4 flow. Read-only throughout.
import { dumpFlowsAsShown, flowLine, FLOW_PROTOCOL, parseFlows } from "../compile/ofctl";
import { readBridges } from "../compile/vsctl";
import { LiveBridge, LiveBridges, parseBridges } from "../live/bridge";
import { DumpedFlow, flowBridgeOf, parseFlowDump, parseFlowsReport, portNumbers } from "../live/flows";
import { parseHostLinks, parseNamespace } from "../live/router";
import { numberActions, numberMatch, PortNumbers } from "../openflow/resolve";
import { routerSysctls } from "../schema/router";
import { isReading, query, reading, Reading } from "../kinds/reading";
import { everyNamespace } from "../kinds/shared";
import { AdoptOptions, HostState } from "./model";
import { selectBridges } from "./ovs";

const OPENFLOW10 = "OpenFlow10";

/** The versions flows are read in: exact (1.4, else the newest allowed), and friendly (1.0) when allowed. */
export function readingProtocols(bridge: Pick<LiveBridge, "protocols">): { exact: string; friendly?: string } {
  const allowed = (p: string) => bridge.protocols.length === 0 || bridge.protocols.includes(p);
  const exact = allowed(FLOW_PROTOCOL) ? FLOW_PROTOCOL : [...bridge.protocols].sort().at(-1)!;
  return { exact, ...(allowed(OPENFLOW10) && exact !== OPENFLOW10 ? { friendly: OPENFLOW10 } : {}) };
}

const numbered = (f: DumpedFlow, numbers: PortNumbers) =>
  flowLine({ ...f, match: numberMatch(f.match, numbers), actions: numberActions(f.actions, numbers) }, f.cookie);
const identity = (f: DumpedFlow) => `${BigInt(f.cookie)} ${f.table} ${f.priority} ${f.match}`;
const whole = (f: DumpedFlow) => `${identity(f)} ${f.idleTimeout} ${f.hardTimeout} ${f.actions}`;

/**
 * The exact flows, each in its friendly words where OVS reads those as the very same flow
 * (1.0 prints `goto_table:3` as `resubmit(,3)`, which is another action: that one stays exact).
 * `read` is OVS's reading of the exact lines, then of the friendly ones; undefined when it refused one.
 */
export function friendlyFlows(exact: DumpedFlow[], friendly: DumpedFlow[], read?: DumpedFlow[]): DumpedFlow[] {
  if (!read || read.length !== exact.length + friendly.length) return exact;
  const [readExact, readFriendly] = [read.slice(0, exact.length), read.slice(exact.length)];
  const byIdentity = new Map(readFriendly.map((r, j) => [identity(r), j]));
  return exact.map((f, i) => {
    const j = byIdentity.get(identity(readExact[i]));
    if (j === undefined || whole(readFriendly[j]) !== whole(readExact[i])) return f;
    return { ...f, match: friendly[j].match, actions: friendly[j].actions };
  });
}

/** Each bridge's flows: the dumps, then OVS's reading of both when there is a friendly one. */
function readFlowsOf(ovs: LiveBridges, bridges: LiveBridge[]): Reading<Record<string, DumpedFlow[]>> {
  const dumps = bridges.flatMap((b) => {
    const { exact, friendly } = readingProtocols(b);
    return [exact, friendly ?? exact].map((p) => query(dumpFlowsAsShown(b.name, p), parseFlowDump));
  });
  return reading(dumps, (...dumped) => {
    const pairs = bridges.map((b, i) => ({ bridge: b, exact: dumped[2 * i], friendly: dumped[2 * i + 1] }));
    const judged = pairs.filter((p) => readingProtocols(p.bridge).friendly && p.exact.length);
    const parses = judged.map((p) => {
      const numbers = portNumbers(flowBridgeOf(ovs, p.bridge.name)!);
      const lines = [...p.exact, ...p.friendly].map((f) => numbered(f, numbers));
      return query(parseFlows(lines), parseFlowsReport, "pure");
    });
    const done = (reports: ReturnType<typeof parseFlowsReport>[]) =>
      Object.fromEntries(
        pairs.map((p) => {
          const report = reports[judged.indexOf(p)];
          const read = report && "flows" in report ? report.flows : undefined;
          return [p.bridge.name, judged.includes(p) ? friendlyFlows(p.exact, p.friendly, read) : p.exact];
        }),
      );
    return parses.length ? reading(parses, (...reports) => done(reports)) : done([]);
  });
}

export function readHost(options: AdoptOptions): Reading<HostState> {
  const keys = Object.keys(routerSysctls(true)).sort();
  return reading(
    [query(readBridges([]), parseBridges), everyNamespace(keys)],
    (ovs, split) => {
      if (!split.complete)
        throw new Error("namespaces were made or deleted while ovslab read them (its side-by-side reads disagree): run adopt again");
      const namespaces = [...split.namespaces].flatMap(([name, text]) => {
        const ns = parseNamespace(name, text);
        return ns ? [ns] : [];
      });
      const hostLinks = parseHostLinks(split.host);
      const { bridges } = selectBridges({ ovs, flows: {}, namespaces, hostLinks }, options);
      return mapReading(readFlowsOf(ovs, bridges), (flows) => ({ ovs, flows, namespaces, hostLinks }));
    },
  );
}

/** A reading whose result is passed through `f`. */
function mapReading<A, B>(r: Reading<A>, f: (a: A) => B): Reading<B> {
  return reading(r.queries, (...results: unknown[]) => {
    const next = r.next(results);
    return isReading(next) ? mapReading(next, f) : f(next);
  });
}
