// Decodes `ip -json link`, `ip -json address` and `ip -json route` output into links with
// their addresses and routes, addresses in canonical text (as the spec has them).
import { formatCidr, parseCidr } from "../net/address";

export interface LiveAddress {
  /** `10.0.0.1/24`, `fd00::1/64`. */
  cidr: string;
  family: 4 | 6;
  /** `global`, `link` (IPv6 fe80::), `host` (lo). */
  scope: string;
}

export interface LiveLink {
  name: string;
  /** Administratively up (`ip link set up`). */
  up: boolean;
  /** Up, yet without carrier (`NO-CARRIER`): e.g. a tap whose OVS is gone. Absent when it has carrier or is down. */
  noCarrier?: true;
  mtu: number;
  mac: string;
  /** `ip link set alias`: ovslab's ownership mark on a namespace's `lo`. */
  alias?: string;
  /** A Linux VLAN device (`ip -details`: linkinfo.info_kind "vlan"): its 802.1Q id and the device it sits on. */
  vlan?: { id: number; parent: string };
  addresses: LiveAddress[];
}

export interface LiveRoute {
  family: 4 | 6;
  /** `default` or a subnet, hosts as /32 or /128. */
  destination: string;
  via?: string;
  device?: string;
  /** `kernel` for the routes the kernel adds for connected subnets; `boot` (ip's default) when omitted. */
  protocol: string;
  /** `unicast` unless `blackhole`, `unreachable`, ... */
  type: string;
  /** Omitted by `ip` when 0. */
  metric: number;
}

interface JsonLink {
  ifname: string;
  flags?: string[];
  mtu: number;
  address?: string;
  ifalias?: string;
  /** The lower device of a stacked one (a VLAN's parent), by name when in the same namespace. */
  link?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number } };
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

function parseJsonArray<T>(text: string, what: string): T[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const value = JSON.parse(trimmed) as unknown;
  if (!Array.isArray(value)) throw new Error(`expected a JSON array from ${what}, got ${trimmed.slice(0, 80)}`);
  return value as T[];
}

function vlanOf(l: JsonLink): LiveLink["vlan"] {
  if (l.linkinfo?.info_kind !== "vlan") return undefined;
  const id = l.linkinfo.info_data?.id;
  if (typeof id !== "number" || l.link === undefined)
    throw new Error(`ip -json -details link: VLAN device ${l.ifname} lacks its id or parent link`);
  return { id, parent: l.link };
}

/** Links from `ip -json -details address show`: each link with its own addresses. */
export function parseLinks(json: string): LiveLink[] {
  return parseJsonArray<JsonLink>(json, "ip -json address").map((l) => ({
    name: l.ifname,
    up: (l.flags ?? []).includes("UP"),
    ...((l.flags ?? []).includes("UP") && (l.flags ?? []).includes("NO-CARRIER") ? { noCarrier: true as const } : {}),
    mtu: l.mtu,
    mac: (l.address ?? "").toLowerCase(),
    ...(l.ifalias !== undefined ? { alias: l.ifalias } : {}),
    ...(vlanOf(l) ? { vlan: vlanOf(l) } : {}),
    addresses: (l.addr_info ?? []).map((a) => {
      const cidr = parseCidr(`${a.local}/${a.prefixlen}`);
      if (!cidr) throw new Error(`ip -json address: cannot read address ${a.local}/${a.prefixlen} of ${l.ifname}`);
      return { cidr: formatCidr(cidr), family: cidr.family, scope: a.scope ?? "global" };
    }),
  }));
}

interface JsonRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  table?: string;
  pref?: string;
}

/**
 * The main table's routes, both families, from `ip -json route show table all` (one run
 * instead of one per family). `ip` names every table but main (a route without `table` is
 * main's). Its JSON names no family: an IPv6 route always carries `pref` (the kernel sends
 * RTA_PREF with every one), an IPv4 route never; a `:` in the destination or gateway says
 * the same where there is one.
 */
export function parseMainRoutes(json: string): LiveRoute[] {
  return parseJsonArray<JsonRoute>(json, "ip -json route")
    .filter((r) => r.table === undefined || r.table === "main")
    .map((r) => routeOf(r, r.pref !== undefined || r.dst.includes(":") || r.gateway?.includes(":") ? 6 : 4));
}

function routeOf(r: JsonRoute, family: 4 | 6): LiveRoute {
  let destination = r.dst;
  if (destination !== "default") {
    const cidr = parseCidr(destination.includes("/") ? destination : `${destination}/${family === 4 ? 32 : 128}`);
    if (!cidr) throw new Error(`ip -json route: cannot read destination ${r.dst}`);
    destination = formatCidr(cidr);
  }
  return {
    family,
    destination,
    ...(r.gateway !== undefined ? { via: r.gateway } : {}),
    ...(r.dev !== undefined ? { device: r.dev } : {}),
    protocol: r.protocol ?? "boot",
    type: r.type ?? "unicast",
    metric: r.metric ?? 0,
  };
}
