// iproute2 and sysctl commands for router namespaces, named after `ip`'s own words.
// Many changes go into ONE `ip -batch -` run fed on stdin: one command over SSH, applied
// in order, stopping at the first error.
import { formatArgv, Op } from "../shell";

/** One line of an `ip -batch` file, e.g. ["address", "add", "10.0.0.1/24", "dev", "qr-a"]. */
export type IpLine = string[];

// iproute2's batch reader splits on whitespace and cuts a line at `#`; quotes are not
// argv quoting. Only names, addresses and numbers belong here (all validated upstream).
const BATCH_WORD = /^[A-Za-z0-9_.:\/-]+$/;

/** Where iproute2 keeps named namespaces (NETNS_RUN_DIR). */
const NETNS_RUN_DIR = "/var/run/netns";

/**
 * `ip netns add` as a line of the host's own `ip -batch` (iproute2 returns to the host's
 * namespace after it), so the moves into the namespace come in the same run.
 */
export function netnsAddLine(ns: string): IpLine {
  return ["netns", "add", ns];
}

/** `unless` (for scripts, see Op): a batch that makes the namespace fails when it exists. */
export function namespaceExists(ns: string): string[] {
  return ["test", "-e", `${NETNS_RUN_DIR}/${ns}`];
}

export function netnsDelete(ns: string): Op {
  return { argv: ["ip", "netns", "delete", ns], why: `delete network namespace ${ns}` };
}

/**
 * Runs a command inside the namespace (sysctl, iptables need its /proc/sys and netfilter).
 * `nsenter --net` enters only the network namespace: `ip netns exec` also makes a mount
 * namespace and mounts /sys for every command, which neither tool needs, and is a second
 * process started through `ip`.
 */
export function netnsExec(ns: string, argv: string[]): string[] {
  return ["nsenter", `--net=${NETNS_RUN_DIR}/${ns}`, ...argv];
}

/** The namespace a `netnsExec` command runs in, if `argv` is one. */
export function netnsOfExec(argv: readonly string[]): string | undefined {
  const prefix = `--net=${NETNS_RUN_DIR}/`;
  return argv[0] === "nsenter" && argv[1]?.startsWith(prefix) ? argv[1].slice(prefix.length) : undefined;
}

const IFALIAS_MAX = 255; // IFALIASZ - 1: the kernel refuses a longer alias

/** The owner as lo's alias holds it: itself, or when too long a prefix and a hash of the whole. */
export function namespaceMark(owner: string): string {
  if (Buffer.byteLength(owner) <= IFALIAS_MAX) return owner;
  let hash = 0xcbf29ce484222325n; // FNV-1a, 64 bits: stable everywhere, no crypto needed
  for (const byte of Buffer.from(owner)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `${Buffer.from(owner)
    .subarray(0, 200)
    .toString("utf8")
    .replace(/\uFFFD+$/, "")}#${hash.toString(16).padStart(16, "0")}`;
}

/**
 * Brings `lo` up and stamps the owner in its alias (`ip link set lo alias`): a namespace
 * carries no metadata of its own, and the alias lives and dies with it.
 */
export function markNamespace(ns: string, owner: string): Op {
  return { argv: ["ip", "-n", ns, ...markLine(owner)], why: `mark namespace ${ns} as owned by ${owner}` };
}

function markLine(owner: string): IpLine {
  return ["link", "set", "dev", "lo", "up", "alias", namespaceMark(owner)];
}

/**
 * The mark as a line of the namespace's own `ip -batch`, when the batch reader keeps it
 * one word (it splits on blanks and cuts at `#`); otherwise it runs alone (`markNamespace`).
 */
export function markBatchLine(owner: string): IpLine | undefined {
  return BATCH_WORD.test(namespaceMark(owner)) ? markLine(owner) : undefined;
}

/** Takes our mark off `lo` (an empty alias deletes it): the namespace stays, for whoever else lives there. */
export function unmarkNamespace(ns: string, why: string): Op {
  return { argv: ["ip", "-n", ns, "link", "set", "dev", "lo", "alias", ""], why };
}

/** `ip [-n NS] -batch -`: the lines run in order, in the namespace when given. `unless`: see Op. */
export function ipBatch(lines: IpLine[], why: string, o: { netns?: string; unless?: string[] } = {}): Op | undefined {
  if (lines.length === 0) return undefined;
  for (const word of lines.flat()) {
    if (!BATCH_WORD.test(word))
      throw new Error(`ip batch word ${JSON.stringify(word)} is not a plain name, address or number`);
  }
  return {
    argv: ["ip", ...(o.netns ? ["-n", o.netns] : []), "-batch", "-"],
    stdin: lines.map((l) => formatArgv(l) + "\n").join(""),
    why,
    ...(o.unless ? { unless: o.unless } : {}),
  };
}

/** A check that succeeds when every device is in the namespace (names as positional parameters). */
export function devicesIn(ns: string, devices: readonly string[]): string[] {
  return ["sh", "-c", 'ns=$1; shift; for dev; do ip -n "$ns" link show dev "$dev" || exit; done', "sh", ns, ...devices];
}

/** Moves a device into a namespace (runs where the device is: the host's own namespace). */
export function linkSetNetns(device: string, ns: string): IpLine {
  return ["link", "set", "dev", device, "netns", ns];
}

export function linkSet(device: string, o: { mac?: string; mtu?: number; up?: boolean }): IpLine {
  return [
    "link", "set", "dev", device,
    ...(o.mac !== undefined ? ["address", o.mac] : []),
    ...(o.mtu !== undefined ? ["mtu", String(o.mtu)] : []),
    ...(o.up === true ? ["up"] : o.up === false ? ["down"] : []),
  ];
}

/** A Linux VLAN device on `parent` (which must be in the same namespace): tags frames with `id`. */
export function linkAddVlan(parent: string, name: string, id: number): IpLine {
  return ["link", "add", "link", parent, "name", name, "type", "vlan", "id", String(id)];
}

export function linkDel(device: string): IpLine {
  return ["link", "del", "dev", device];
}

/** `replace` adds the address, or keeps it when it is there: a re-run batch does not fail. */
export function addressAdd(cidr: string, device: string): IpLine {
  return ["address", "replace", cidr, "dev", device];
}

export function addressDel(cidr: string, device: string): IpLine {
  return ["address", "del", cidr, "dev", device];
}

export interface RouteLine {
  /** `default` or a subnet. */
  destination: string;
  family: 4 | 6;
  via?: string;
  device?: string;
}

/** `ip` reads `default` as IPv4; an IPv6 default is spelled `::/0`. */
function destinationWord(r: RouteLine): string {
  return r.destination === "default" && r.family === 6 ? "::/0" : r.destination;
}

export function routeReplace(r: RouteLine): IpLine {
  return [
    "route",
    "replace",
    destinationWord(r),
    ...(r.via ? ["via", r.via] : []),
    ...(r.device ? ["dev", r.device] : []),
  ];
}

/**
 * Deletes exactly one route: as the host reported it, type, metric and all (metric 0 matches any, so it is left out).
 */
export function routeDel(r: RouteLine & { type?: string; metric?: number }): IpLine {
  return [
    "route", "del",
    ...(r.type && r.type !== "unicast" ? [r.type] : []),
    destinationWord(r),
    ...(r.via ? ["via", r.via] : []),
    ...(r.device ? ["dev", r.device] : []),
    ...(r.metric ? ["metric", String(r.metric)] : []),
  ];
}

/** `sysctl -w` of several keys inside the namespace, in one run. */
export function sysctlWrite(ns: string, values: Record<string, string>): Op | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  return {
    argv: netnsExec(ns, ["sysctl", "-q", "-w", ...entries.map(([k, v]) => `${k}=${v}`)]),
    why: `set ${entries.map(([k]) => k).join(", ")} in ${ns}`,
  };
}
