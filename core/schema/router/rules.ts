// RouterNamespace's rules that span fields: interface and VLAN device names, routes'
// gateways in connected subnets, SNAT and floating IPs that fit the interfaces.
import { broadcastOf, Cidr, contains, formatCidr, formatIp, IpAddress, networkOf, sameIp } from "../../net/address";
import { formatPath } from "../../validation";
import { duplicates } from "../common";
import { canonicalCidr, canonicalIp, cidrOf, ipOf, sysctlKeyRule } from "./fields";
import { Shape } from "./shape";

export type Issue = { path: Array<string | number>; message: string };

/** The family of a route: its destination's, or for `default` its gateway's (IPv4 without one). */
export function routeFamily(r: { destination: string; via?: string }): 4 | 6 {
  const cidr = r.destination === "default" ? undefined : cidrOf(r.destination);
  return cidr?.family ?? (r.via ? ipOf(r.via)?.family : undefined) ?? 4;
}

export interface Connected {
  iface: string;
  cidr: Cidr;
}

/** The Linux VLAN device of a router interface: `gw.10` (`ip link add ... name gw.10`). */
export const vlanDeviceName = (iface: string, id: number): string => `${iface}.${id}`;

/** A device in the namespace holding addresses: an interface, or a VLAN device on one. */
interface Device {
  name: string;
  addresses: string[];
  /** Where its fields are, e.g. ["interfaces", 0, "vlans", 1]. */
  path: Array<string | number>;
}

/** Every address-holding device: each interface, then its VLAN devices. */
function devicesOf(spec: Shape): Device[] {
  return spec.interfaces.flatMap((i, n) => [
    { name: i.name, addresses: i.addresses, path: ["interfaces", n] },
    ...i.vlans.map((v, j) => ({
      name: vlanDeviceName(i.name, v.id),
      addresses: v.addresses,
      path: ["interfaces", n, "vlans", j],
    })),
  ]);
}

export function connectedSubnets(spec: Shape): Connected[] {
  return devicesOf(spec).flatMap((d) =>
    d.addresses
      .map(cidrOf)
      .filter((c): c is Cidr => !!c)
      .map((cidr) => ({ iface: d.name, cidr })),
  );
}

const list = (cs: Connected[]) => [...new Set(cs.map((c) => formatCidr(networkOf(c.cidr))))].join(", ") || "none";

/** Network or broadcast address of the connected subnet holding `ip`, as a message. */
function notAHost(ip: IpAddress, connected: Connected[]): string | undefined {
  for (const { cidr } of connected.filter((c) => contains(c.cidr, ip))) {
    const net = networkOf(cidr);
    if (cidr.prefix < 31 && sameIp(net, ip)) return `is the network address of ${formatCidr(net)}, not a host address`;
    const bcast = broadcastOf(net);
    if (bcast && sameIp(bcast, ip)) return `is the broadcast address of ${formatCidr(net)}, not a host address`;
  }
  return undefined;
}

const IFNAMSIZ_MAX = 15;

function checkInterfaces(spec: Shape, issues: Issue[]): void {
  const devices = devicesOf(spec);
  const names = devices.map((d) => d.name);
  for (const dup of duplicates(names)) {
    const at = devices[names.lastIndexOf(dup)].path;
    issues.push({ path: at.length > 2 ? [...at, "id"] : [...at, "name"], message: `duplicates interface "${dup}"` });
  }
  spec.interfaces.forEach((iface, i) => {
    const at = (field: Array<string | number>, message: string) =>
      issues.push({ path: ["interfaces", i, ...field], message });
    if (iface.name === "lo") at(["name"], "lo is the namespace's own loopback");
    for (const dup of duplicates((iface.trunks ?? []).map(String))) at(["trunks"], `lists VLAN ${dup} more than once`);
    if (iface.tag !== undefined && iface.trunks?.length)
      at(["trunks"], `a port with a tag is an access port of VLAN ${iface.tag}: OVS ignores its trunks`);
    if (iface.tag !== undefined && iface.vlans.length)
      at(
        ["vlans"],
        `a port with a tag (VLAN ${iface.tag}) drops the tagged frames of VLAN devices: use trunks instead`,
      );
    const ids = iface.vlans.map((v) => String(v.id));
    for (const dup of duplicates(ids))
      at(["vlans", ids.lastIndexOf(dup), "id"], `duplicates VLAN ${dup} on ${iface.name}`);
    iface.vlans.forEach((v, j) => {
      const device = vlanDeviceName(iface.name, v.id);
      const bytes = Buffer.byteLength(device);
      if (bytes > IFNAMSIZ_MAX) {
        at(
          ["vlans", j, "id"],
          `the VLAN device name "${device}" is ${bytes} bytes, over the 15 of a Linux interface name: ` +
            `shorten interfaces[${i}].name`,
        );
      }
      if (iface.trunks?.length && !iface.trunks.includes(v.id)) {
        at(["vlans", j, "id"], `VLAN ${v.id} is not in trunks (${iface.trunks.join(", ")}): OVS drops its frames`);
      }
      if (v.mtu !== undefined && iface.mtu !== undefined && v.mtu > iface.mtu)
        at(["vlans", j, "mtu"], `${v.mtu} is over the MTU of ${iface.name} (${iface.mtu})`);
    });
  });
  const seen = new Map<string, string>();
  for (const d of devices) {
    d.addresses.forEach((a, j) => {
      const cidr = cidrOf(a);
      if (!cidr) return;
      const key = formatIp(cidr);
      const first = seen.get(key);
      if (first)
        issues.push({ path: [...d.path, "addresses", j], message: `address ${key} is also given at ${first}` });
      else seen.set(key, formatPath([...d.path, "addresses", j]));
    });
  }
}

function checkRoutes(spec: Shape, connected: Connected[], issues: Issue[]): void {
  const names = new Set(devicesOf(spec).map((d) => d.name));
  const keys: string[] = [];
  spec.routes.forEach((r, i) => {
    const at = (field: string, message: string) => issues.push({ path: ["routes", i, field], message });
    const family = routeFamily(r);
    const dest = r.destination === "default" ? undefined : cidrOf(r.destination);
    keys.push(`${family} ${dest ? formatCidr(dest) : "default"}`);
    if (!r.via && !r.device) at("via", "a route needs `via` (a gateway) or `device`");
    if (r.device && !names.has(r.device))
      at("device", `"${r.device}" is not one of the router's interfaces (${[...names].join(", ") || "none"})`);
    const via = r.via ? ipOf(r.via) : undefined;
    if (!via) return;
    if (dest && via.family !== dest.family) {
      return at("via", `${r.via} is IPv${via.family} but destination ${r.destination} is IPv${dest.family}`);
    }
    const candidates = connected.filter((c) => c.cidr.family === via.family && (!r.device || c.iface === r.device));
    if (candidates.some((c) => sameIp(c.cidr, via))) return at("via", `${r.via} is the router's own address`);
    const linkLocal = via.family === 6 && via.value >> 118n === 0x3fan; // fe80::/10 is on-link on the named device
    if (linkLocal && !r.device) return at("device", "a link-local gateway needs `device`");
    if (!linkLocal && !candidates.some((c) => contains(c.cidr, via))) {
      at(
        "via",
        `gateway ${r.via} lies in no connected subnet${r.device ? ` of ${r.device}` : ""} (${list(candidates)})`,
      );
    }
  });
  for (const dup of duplicates(keys))
    issues.push({
      path: ["routes", keys.lastIndexOf(dup), "destination"],
      message: `duplicates the route to ${dup.slice(2)}`,
    });
}

/** The interface's first IPv4 address: the default SNAT source. */
export function firstIpv4(spec: Shape, iface: string): string | undefined {
  const address = devicesOf(spec).find((d) => d.name === iface)?.addresses.map(cidrOf).find((c) => c?.family === 4);
  return address ? formatIp(address) : undefined;
}

function checkSnat(spec: Shape, issues: Issue[]): void {
  const names = new Set(devicesOf(spec).map((d) => d.name));
  const keys: string[] = [];
  spec.snat.forEach((s, i) => {
    if (!names.has(s.interface))
      issues.push({
        path: ["snat", i, "interface"],
        message: `"${s.interface}" is not one of the router's interfaces`,
      });
    else if (!s.toSource && !firstIpv4(spec, s.interface)) {
      issues.push({
        path: ["snat", i, "toSource"],
        message: `interface ${s.interface} has no IPv4 address to default to: set toSource`,
      });
    }
    s.sources.forEach((src, j) => {
      const key = `${s.interface} ${cidrOf(src) ? canonicalCidr(src) : src}`;
      if (keys.includes(key))
        issues.push({ path: ["snat", i, "sources", j], message: `${src} out of ${s.interface} is already translated` });
      keys.push(key);
    });
  });
}

function checkFloatingIps(spec: Shape, connected: Connected[], issues: Issue[]): void {
  const names = new Set(devicesOf(spec).map((d) => d.name));
  const own = connected.map((c) => formatIp(c.cidr));
  spec.floatingIps.forEach((f, i) => {
    const at = (field: string, message: string) => issues.push({ path: ["floatingIps", i, field], message });
    const fip = ipOf(f.floatingIp);
    const fixed = ipOf(f.fixedIp);
    if (fip) {
      const holder = f.interface ?? connected.find((c) => contains(c.cidr, fip))?.iface;
      if (f.interface && !names.has(f.interface))
        at("interface", `"${f.interface}" is not one of the router's interfaces`);
      else if (!holder)
        at(
          "floatingIp",
          `${f.floatingIp} lies in no subnet of the router's interfaces ` +
            `(${list(connected.filter((c) => c.cidr.family === 4))}): set interface`,
        );
      const problem = notAHost(fip, connected);
      if (problem) at("floatingIp", `${f.floatingIp} ${problem}`);
      if (own.includes(formatIp(fip)))
        at("floatingIp", `${f.floatingIp} is already an address of the router's interfaces`);
    }
    if (fixed) {
      if (!connected.some((c) => contains(c.cidr, fixed)))
        at(
          "fixedIp",
          `${f.fixedIp} lies in no connected subnet (${list(connected.filter((c) => c.cidr.family === 4))})`,
        );
      const problem = notAHost(fixed, connected);
      if (problem) at("fixedIp", `${f.fixedIp} ${problem}`);
      if (own.includes(formatIp(fixed))) at("fixedIp", `${f.fixedIp} is the router's own address`);
    }
  });
  const fips = spec.floatingIps.map((f) => (ipOf(f.floatingIp) ? canonicalIp(f.floatingIp) : f.floatingIp));
  for (const dup of duplicates(fips))
    issues.push({
      path: ["floatingIps", fips.lastIndexOf(dup), "floatingIp"],
      message: `duplicates floating IP ${dup}`,
    });
  const fixeds = spec.floatingIps.map((f) => (ipOf(f.fixedIp) ? canonicalIp(f.fixedIp) : f.fixedIp));
  for (const dup of duplicates(fixeds))
    issues.push({
      path: ["floatingIps", fixeds.lastIndexOf(dup), "fixedIp"],
      message: `fixed IP ${dup} already has a floating IP (1:1 NAT)`,
    });
}

/** Every cross-field problem of a router spec, each with its path. */
export function routerIssues(spec: Shape): Issue[] {
  const issues: Issue[] = [];
  const connected = connectedSubnets(spec);
  for (const key of Object.keys(spec.sysctls)) {
    const problem = sysctlKeyRule(key);
    if (problem) issues.push({ path: ["sysctls", key], message: problem });
  }
  checkInterfaces(spec, issues);
  checkRoutes(spec, connected, issues);
  checkSnat(spec, issues);
  checkFloatingIps(spec, connected, issues);
  return issues;
}
