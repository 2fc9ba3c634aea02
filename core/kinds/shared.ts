// The host-wide reads that many resources share (reading.ts `shared`): every bridge with
// its ports, every flow of a bridge, every namespace. Each comes with what one resource
// takes from it, equal to what its own scoped read returns, so a planner cannot tell which
// one ran. The providers run the shared read once per host and operation, while no write of
// ours has touched what it covers (providers/read.ts).
import { dumpBridge, dumpFlows, dumpTable } from "../compile/ofctl";
import { ABSENT, NAMESPACE, readRouter, readRouters, readRoutersInParts, SECTION, SEEN } from "../compile/router";
import { readBridges, readInterfaces, readMarkedPorts } from "../compile/vsctl";
import { bridgesOf, LiveBridges, parseBridges } from "../live/bridge";
import { listOf, parseSelects, Row } from "../live/ovsdb";
import { OWNER_KEY } from "../schema/common";
import { DumpedFlow, parseFlowDump } from "../live/flows";
import { sameCookie } from "../plan/flows";
import { Query, query, Reading, reading, sharedReading } from "./reading";

const everyBridge = query(readBridges([]), parseBridges);

/** What `readBridges(names)` returns, taken from a read of every bridge. */
export function pickBridges(whole: LiveBridges, names: readonly string[]): LiveBridges {
  if (names.length !== 1) return whole; // readBridges lists every bridge then too
  const bridges = whole.bridges.filter((b) => b.name === names[0]);
  return { bridges, portBridge: new Map([...whole.portBridge].filter(([, bridge]) => bridge === names[0])) };
}

/** The OVSDB read of `names` (every bridge when none), then `then`. */
export function readOvs<Live>(
  names: readonly string[],
  then: (ovs: LiveBridges) => Live | Reading<Live>,
): Reading<Live> {
  return sharedReading(
    everyBridge,
    (whole) => then(pickBridges(whole, names)),
    reading([query(readBridges(names), parseBridges)], then),
  );
}

// ovsdb-client and ovs-vsctl list rows in orders of their own: a router sees bridges by name.
const sortedByName = <B extends { name: string }>(bridges: B[]) =>
  [...bridges].sort((a, b) => a.name.localeCompare(b.name));

/** Only the ports `keep` names (and their bridges' entries in portBridge). */
function keepPorts(
  whole: LiveBridges,
  keep: (port: { name: string; externalIds: Record<string, string> }) => boolean,
): LiveBridges {
  const bridges = sortedByName(whole.bridges.map((b) => ({ ...b, ports: b.ports.filter(keep) })));
  const kept = new Set(bridges.flatMap((b) => b.ports.map((p) => p.name)));
  return { bridges, portBridge: new Map([...whole.portBridge].filter(([port]) => kept.has(port))) };
}

/**
 * A router's view of OVS: every bridge, with only the ports it owns (`owner`'s mark, wherever
 * they are) or names. Scoped, two small reads instead of every Port and Interface row, so
 * routers x ports does not grow with the host.
 */
export function readOwnPorts<Live>(
  owner: string,
  names: readonly string[],
  then: (ovs: LiveBridges) => Live | Reading<Live>,
): Reading<Live> {
  const wanted = new Set(names);
  const keep = (p: { name: string; externalIds: Record<string, string> }) =>
    p.externalIds[OWNER_KEY] === owner || wanted.has(p.name);
  const scoped = reading([query(readMarkedPorts(OWNER_KEY, owner, names), parseSelects)], (results) => {
    const [bridgeRows, marked, ...byName] = results;
    const found = [marked ?? [], ...byName.slice(0, names.length)];
    const ports = new Map<string, Row>(found.flat().map((r) => [r._uuid as string, r]));
    const named = byName.slice(names.length).flat();
    const uuids = [...ports.values()].map((p) => listOf<string>(p.interfaces)[0]).filter((u) => u !== undefined);
    const build = (ifaces: Row[]) => {
      const ovs = bridgesOf(bridgeRows ?? [], [...ports.values()], [...named, ...ifaces]);
      return then({ ...ovs, bridges: sortedByName(ovs.bridges) });
    };
    // A second round only for interfaces not named like their port (another's port, renamed).
    const missing = uuids.filter((u) => !named.some((i) => i._uuid === u));
    return missing.length
      ? reading([query(readInterfaces(missing), (s) => parseSelects(s).flat())], build)
      : build([]);
  });
  return sharedReading(everyBridge, (whole) => then(keepPorts(whole, keep)), scoped);
}

/**
 * The flows of `cookie` on `bridge`, every flow of each of `tables`, and the results of
 * `extra` queries run in the same round (OVS's reading of the desired flows), then `then`.
 */
export function readFlowDumps<Live>(
  bridge: string, cookie: string, tables: readonly number[], extra: readonly Query<unknown>[],
  then: (ours: DumpedFlow[], tabled: DumpedFlow[][], extras: unknown[]) => Live | Reading<Live>,
): Reading<Live> {
  const dumps = [dumpFlows(bridge, cookie), ...tables.map((t) => dumpTable(bridge, t))].map((op) =>
    query(op, parseFlowDump),
  );
  const scoped = reading([...dumps, ...extra] as Query<unknown>[], (...r: unknown[]) =>
    then(r[0] as DumpedFlow[], r.slice(1, dumps.length) as DumpedFlow[][], r.slice(dumps.length)));
  const pick = (all: DumpedFlow[]) => {
    const ours = all.filter((f) => sameCookie(f.cookie, cookie));
    const tabled = tables.map((t) => all.filter((f) => f.table === t));
    return extra.length
      ? reading([...extra] as Query<unknown>[], (...x: unknown[]) => then(ours, tabled, x))
      : then(ours, tabled, []);
  };
  return sharedReading(query(dumpBridge(bridge), parseFlowDump), pick, scoped);
}

/** How many commands read every namespace side by side (as many as a transport's shells). */
export const NAMESPACE_READ_PARTS = 4;

/**
 * `readRouters` output (or its parts', concatenated) as the host's links section and each
 * namespace's sections, as text; `complete` unless the parts saw different namespaces.
 */
export function splitNamespaces(stdout: string): { host: string; namespaces: Map<string, string>; complete: boolean } {
  const lists: string[] = [];
  // A part's list of what it saw comes first in its output, so after the previous part's last section.
  const cut = (text: string) => {
    const at = `\n${text}`.indexOf(`\n${SEEN}`);
    if (at < 0) return text;
    lists.push(...text.slice(at).split("\n").filter((line) => line.startsWith(SEEN)));
    return text.slice(0, at);
  };
  const parts = stdout.split(`\n${NAMESPACE}`);
  const namespaces = new Map<string, string>();
  let twice = false;
  for (const part of parts.slice(1)) {
    const eol = part.indexOf("\n");
    const name = eol < 0 ? part : part.slice(0, eol);
    twice ||= namespaces.has(name);
    namespaces.set(name, eol < 0 ? "" : cut(part.slice(eol + 1)));
  }
  const host = cut(parts[0] + "\n");
  const seen = (list: string) => list.slice(SEEN.length).split(" ").filter(Boolean).sort().join(" ");
  const complete =
    lists.length === 0 ||
    (!twice && lists.every((l) => l === lists[0]) && seen(lists[0]) === [...namespaces.keys()].sort().join(" "));
  return { host, namespaces, complete };
}

/** Every namespace on the host, read in parts side by side. */
export function everyNamespace(sysctlKeys: readonly string[]): Query<ReturnType<typeof splitNamespaces>> {
  const parts = readRoutersInParts(sysctlKeys, NAMESPACE_READ_PARTS);
  return query(readRouters(sysctlKeys), splitNamespaces, "netns:*", parts);
}

/**
 * Namespace `ns` read with the values of `sysctlKeys`, as `readRouter` prints it (the
 * host's links, then the namespace's sections, or `absent`), then `then`; without its nat
 * table when `nat` is false (the shared read, when still fresh, has it all the same).
 */
export function readNamespace<Live>(
  ns: string,
  sysctlKeys: readonly string[],
  then: (stdout: string) => Live | Reading<Live>,
  nat = true,
): Reading<Live> {
  const keys = [...sysctlKeys].sort();
  const scoped = reading([query(readRouter(ns, sysctlKeys, nat), (stdout) => stdout, `netns:${ns}`)], then);
  const pick = (all: ReturnType<typeof splitNamespaces>) =>
    all.complete ? then(all.host + (all.namespaces.get(ns) ?? `${SECTION}${ABSENT}\n`)) : undefined;
  // The host's links are in it too: any namespace write (a device moved) makes it stale.
  return sharedReading(everyNamespace(keys), pick, scoped);
}
