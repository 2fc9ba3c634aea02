// RouterNamespace: a network namespace routing between OVS internal ports, with SNAT and
// floating IPs, as Neutron's L3 agent builds a `qrouter-<uuid>`. The one source of truth
// for its fields, defaults and messages.
import { z } from "zod";
import { broadcastOf, Cidr, contains, formatCidr, formatIp, IpAddress, networkOf, sameIp } from "./address";
import { duplicates, interfaceName, vlanId } from "./common";
import {
  canonicalCidr, canonicalIp, canonicalMac, checkedString, cidrOf, hostRule, interfaceAddressRule, ipOf, macRule,
  namespaceRule, routeDestinationRule, subnetRule, sysctlKeyRule, sysctlValueRule,
} from "./routerFields";

/** One router interface: an OVS internal port moved into the namespace. */
export interface RouterInterfaceArgs {
  /** Linux device and OVSDB `Port.name`, e.g. `qr-1a2b3c4d-5e` or `qg-...`: 1-15 bytes. */
  name: string;
  /** The OVS bridge the port is on (a Bridge resource's), e.g. `br-int`. */
  bridge: string;
  /** OVSDB `Port.tag`: the access VLAN, 0-4095. Default none. */
  tag?: number;
  /** OVSDB `Port.trunks`: the VLANs a trunk port carries into the namespace, tagged. Default none (all VLANs when untagged). */
  trunks?: number[];
  /** Linux VLAN devices `<name>.<id>` on this interface (for a trunk port), each with its addresses. Default none. */
  vlans?: RouterVlanArgs[];
  /** Addresses with prefix length, IPv4 or IPv6 (`10.0.0.1/24`, `fd00::1/64`). Default none. */
  addresses?: string[];
  /** MAC address (`ip link set address`). Default: the one OVS gave the port. */
  mac?: string;
  /** MTU (`ip link set mtu`). Default: the device's own (1500). */
  mtu?: number;
}

/** A Linux VLAN sub-interface: `ip link add link IF name IF.ID type vlan id ID`. */
export interface RouterVlanArgs {
  /** The 802.1Q VLAN id, 1-4094; the device is named `<interface>.<id>` (at most 15 bytes). */
  id: number;
  /** Addresses with prefix length on the VLAN device, as an interface's. Default none. */
  addresses?: string[];
  /** MTU of the VLAN device, at most its interface's. Default: the interface's. */
  mtu?: number;
}

/** A static route in the namespace's main table. */
export interface RouteArgs {
  /** A subnet (`10.2.0.0/16`, `fd02::/64`) or `default` (IPv6 when `via` is IPv6). */
  destination: string;
  /** Next hop; it must lie in a subnet of the router's interfaces. Default none (on-link via `device`). */
  via?: string;
  /** Outgoing interface, one of `interfaces`. Default: the kernel picks it from `via`. */
  device?: string;
}

/** Source NAT for internal subnets leaving through the gateway interface. */
export interface SnatArgs {
  /** The gateway interface (`qg-...`) the traffic leaves through: iptables `-o`. */
  interface: string;
  /** Internal IPv4 subnets to translate: iptables `-s`. */
  sources: string[];
  /** The address they leave with: `--to-source`. Default: the interface's first IPv4 address. */
  toSource?: string;
}

/** A 1:1 floating IP: DNAT in PREROUTING and OUTPUT, SNAT back for the fixed address. */
export interface FloatingIpArgs {
  /** The public IPv4 address, added as /32 to `interface` so the router answers ARP for it. */
  floatingIp: string;
  /** The internal IPv4 address it maps to; it must lie in a subnet of the router's interfaces. */
  fixedIp: string;
  /** The interface that carries the floating IP. Default: the one whose IPv4 subnet holds it. */
  interface?: string;
}

/** A router namespace and everything in it: interfaces, routes, sysctls and NAT. */
export interface RouterNamespaceArgs {
  /** The network namespace, e.g. `qrouter-<uuid>`: 1-64 bytes. Changing it replaces the router. */
  name: string;
  /**
   * Sysctls inside the namespace, merged over the router defaults (Neutron's namespaces.py):
   * `net.ipv4.ip_forward=1`, `net.ipv4.conf.all.promote_secondaries=1` (removing an address
   * keeps the others of its subnet), `net.ipv4.conf.all.arp_ignore=1`,
   * `net.ipv4.conf.all.arp_announce=2`, `net.ipv4.conf.all.arp_notify=1` (a device that
   * comes up announces its addresses, as Neutron's arping does), and
   * `net.ipv6.conf.all.forwarding=1` when an interface has an IPv6 address. Keys dropped
   * from the spec keep their last value.
   */
  sysctls?: Record<string, string>;
  /** The router's interfaces. Default none. */
  interfaces?: RouterInterfaceArgs[];
  /** Static and default routes; every other non-kernel route in the namespace is removed. Default none. */
  routes?: RouteArgs[];
  /** Source NAT rules. Default none. */
  snat?: SnatArgs[];
  /** Floating IPs. Default none. */
  floatingIps?: FloatingIpArgs[];
}

/** The sysctls every router gets unless its spec says otherwise. */
export function routerSysctls(hasIpv6: boolean): Record<string, string> {
  return {
    "net.ipv4.ip_forward": "1",
    "net.ipv4.conf.all.promote_secondaries": "1",
    "net.ipv4.conf.all.arp_ignore": "1",
    "net.ipv4.conf.all.arp_announce": "2",
    "net.ipv4.conf.all.arp_notify": "1",
    ...(hasIpv6 ? { "net.ipv6.conf.all.forwarding": "1" } : {}),
  };
}

const mtu = z.number({ message: "must be a number" }).int("must be a whole number").min(68, "must be 68-65535").max(65535, "must be 68-65535");

const routerVlan = z
  .object({
    // 0 and 4095 are reserved by 802.1Q; the kernel refuses them for a VLAN device.
    id: z.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be 1-4094").max(4094, "must be 1-4094"),
    addresses: z.array(checkedString(interfaceAddressRule)).default([]),
    mtu: mtu.optional(),
  })
  .strict();

const routerInterface = z
  .object({
    name: interfaceName,
    bridge: interfaceName,
    tag: vlanId.optional(),
    trunks: z.array(vlanId).optional(),
    vlans: z.array(routerVlan).default([]),
    addresses: z.array(checkedString(interfaceAddressRule)).default([]),
    mac: checkedString(macRule).optional(),
    mtu: mtu.optional(),
  })
  .strict();

const route = z
  .object({
    destination: checkedString(routeDestinationRule),
    via: checkedString(hostRule({})).optional(),
    device: interfaceName.optional(),
  })
  .strict();

const snat = z
  .object({
    interface: interfaceName,
    sources: z.array(checkedString(subnetRule({ family: 4, allowZero: true }))).min(1, "needs at least one source subnet"),
    toSource: checkedString(hostRule({ family: 4 })).optional(),
  })
  .strict();

const floatingIp = z
  .object({
    floatingIp: checkedString(hostRule({ family: 4 })),
    fixedIp: checkedString(hostRule({ family: 4 })),
    interface: interfaceName.optional(),
  })
  .strict();

const shape = z
  .object({
    name: checkedString(namespaceRule),
    // Keys are checked in superRefine: zod words a bad record key only as "Invalid key in record".
    sysctls: z.record(z.string(), checkedString(sysctlValueRule)).default({}),
    interfaces: z.array(routerInterface).default([]),
    routes: z.array(route).default([]),
    snat: z.array(snat).default([]),
    floatingIps: z.array(floatingIp).default([]),
  })
  .strict();

type Shape = z.output<typeof shape>;
type Issue = { path: Array<string | number>; message: string };

/** The family of a route: its destination's, or for `default` its gateway's (IPv4 without one). */
export function routeFamily(r: { destination: string; via?: string }): 4 | 6 {
  const cidr = r.destination === "default" ? undefined : cidrOf(r.destination);
  return cidr?.family ?? (r.via ? ipOf(r.via)?.family : undefined) ?? 4;
}

interface Connected {
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
    ...i.vlans.map((v, j) => ({ name: vlanDeviceName(i.name, v.id), addresses: v.addresses, path: ["interfaces", n, "vlans", j] })),
  ]);
}

function connectedSubnets(spec: Shape): Connected[] {
  return devicesOf(spec).flatMap((d) => d.addresses.map(cidrOf).filter((c): c is Cidr => !!c).map((cidr) => ({ iface: d.name, cidr })));
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
const pathText = (path: Array<string | number>) => path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${p}`)).join("");

function checkInterfaces(spec: Shape, issues: Issue[]): void {
  const devices = devicesOf(spec);
  const names = devices.map((d) => d.name);
  for (const dup of duplicates(names)) {
    const at = devices[names.lastIndexOf(dup)].path;
    issues.push({ path: at.length > 2 ? [...at, "id"] : [...at, "name"], message: `duplicates interface "${dup}"` });
  }
  spec.interfaces.forEach((iface, i) => {
    const at = (field: Array<string | number>, message: string) => issues.push({ path: ["interfaces", i, ...field], message });
    if (iface.name === "lo") at(["name"], "lo is the namespace's own loopback");
    for (const dup of duplicates((iface.trunks ?? []).map(String))) at(["trunks"], `lists VLAN ${dup} more than once`);
    if (iface.tag !== undefined && iface.trunks?.length) at(["trunks"], `a port with a tag is an access port of VLAN ${iface.tag}: OVS ignores its trunks`);
    if (iface.tag !== undefined && iface.vlans.length) at(["vlans"], `a port with a tag (VLAN ${iface.tag}) drops the tagged frames of VLAN devices: use trunks instead`);
    const ids = iface.vlans.map((v) => String(v.id));
    for (const dup of duplicates(ids)) at(["vlans", ids.lastIndexOf(dup), "id"], `duplicates VLAN ${dup} on ${iface.name}`);
    iface.vlans.forEach((v, j) => {
      const device = vlanDeviceName(iface.name, v.id);
      const bytes = Buffer.byteLength(device);
      if (bytes > IFNAMSIZ_MAX) {
        at(["vlans", j, "id"], `the VLAN device name "${device}" is ${bytes} bytes, over the 15 of a Linux interface name: shorten interfaces[${i}].name`);
      }
      if (iface.trunks?.length && !iface.trunks.includes(v.id)) {
        at(["vlans", j, "id"], `VLAN ${v.id} is not in trunks (${iface.trunks.join(", ")}): OVS drops its frames`);
      }
      if (v.mtu !== undefined && iface.mtu !== undefined && v.mtu > iface.mtu) at(["vlans", j, "mtu"], `${v.mtu} is over the MTU of ${iface.name} (${iface.mtu})`);
    });
  });
  const seen = new Map<string, string>();
  for (const d of devices) {
    d.addresses.forEach((a, j) => {
      const cidr = cidrOf(a);
      if (!cidr) return;
      const key = formatIp(cidr);
      const first = seen.get(key);
      if (first) issues.push({ path: [...d.path, "addresses", j], message: `address ${key} is also given at ${first}` });
      else seen.set(key, `${pathText([...d.path, "addresses", j])}`);
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
    if (r.device && !names.has(r.device)) at("device", `"${r.device}" is not one of the router's interfaces (${[...names].join(", ") || "none"})`);
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
      at("via", `gateway ${r.via} lies in no connected subnet${r.device ? ` of ${r.device}` : ""} (${list(candidates)})`);
    }
  });
  for (const dup of duplicates(keys)) issues.push({ path: ["routes", keys.lastIndexOf(dup), "destination"], message: `duplicates the route to ${dup.slice(2)}` });
}

/** The interface's first IPv4 address: the default SNAT source. */
function firstIpv4(spec: Shape, iface: string): string | undefined {
  const address = devicesOf(spec).find((d) => d.name === iface)?.addresses.map(cidrOf).find((c) => c?.family === 4);
  return address ? formatIp(address) : undefined;
}

function checkSnat(spec: Shape, issues: Issue[]): void {
  const names = new Set(devicesOf(spec).map((d) => d.name));
  const keys: string[] = [];
  spec.snat.forEach((s, i) => {
    if (!names.has(s.interface)) issues.push({ path: ["snat", i, "interface"], message: `"${s.interface}" is not one of the router's interfaces` });
    else if (!s.toSource && !firstIpv4(spec, s.interface)) {
      issues.push({ path: ["snat", i, "toSource"], message: `interface ${s.interface} has no IPv4 address to default to: set toSource` });
    }
    s.sources.forEach((src, j) => {
      const key = `${s.interface} ${cidrOf(src) ? canonicalCidr(src) : src}`;
      if (keys.includes(key)) issues.push({ path: ["snat", i, "sources", j], message: `${src} out of ${s.interface} is already translated` });
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
      if (f.interface && !names.has(f.interface)) at("interface", `"${f.interface}" is not one of the router's interfaces`);
      else if (!holder) at("floatingIp", `${f.floatingIp} lies in no subnet of the router's interfaces (${list(connected.filter((c) => c.cidr.family === 4))}): set interface`);
      const problem = notAHost(fip, connected);
      if (problem) at("floatingIp", `${f.floatingIp} ${problem}`);
      if (own.includes(formatIp(fip))) at("floatingIp", `${f.floatingIp} is already an address of the router's interfaces`);
    }
    if (fixed) {
      if (!connected.some((c) => contains(c.cidr, fixed))) at("fixedIp", `${f.fixedIp} lies in no connected subnet (${list(connected.filter((c) => c.cidr.family === 4))})`);
      const problem = notAHost(fixed, connected);
      if (problem) at("fixedIp", `${f.fixedIp} ${problem}`);
      if (own.includes(formatIp(fixed))) at("fixedIp", `${f.fixedIp} is the router's own address`);
    }
  });
  const fips = spec.floatingIps.map((f) => (ipOf(f.floatingIp) ? canonicalIp(f.floatingIp) : f.floatingIp));
  for (const dup of duplicates(fips)) issues.push({ path: ["floatingIps", fips.lastIndexOf(dup), "floatingIp"], message: `duplicates floating IP ${dup}` });
  const fixeds = spec.floatingIps.map((f) => (ipOf(f.fixedIp) ? canonicalIp(f.fixedIp) : f.fixedIp));
  for (const dup of duplicates(fixeds)) issues.push({ path: ["floatingIps", fixeds.lastIndexOf(dup), "fixedIp"], message: `fixed IP ${dup} already has a floating IP (1:1 NAT)` });
}

/** The spec in canonical form (addresses as `ip` prints them) with its defaults resolved. */
function canonical(spec: Shape) {
  const connected = connectedSubnets(spec);
  const interfaces = spec.interfaces.map((i) => ({
    name: i.name,
    bridge: i.bridge,
    ...(i.tag !== undefined ? { tag: i.tag } : {}),
    // Present only when used, so state written before trunks and VLANs existed reads back unchanged.
    ...(i.trunks?.length ? { trunks: [...i.trunks].sort((a, b) => a - b) } : {}),
    ...(i.vlans.length
      ? { vlans: i.vlans.map((v) => ({ id: v.id, addresses: v.addresses.map(canonicalCidr), ...(v.mtu !== undefined ? { mtu: v.mtu } : {}) })) }
      : {}),
    addresses: i.addresses.map(canonicalCidr),
    ...(i.mac !== undefined ? { mac: canonicalMac(i.mac) } : {}),
    ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
  }));
  const hasIpv6 = connected.some((c) => c.cidr.family === 6) || spec.routes.some((r) => routeFamily(r) === 6);
  return {
    name: spec.name,
    // Values as `sysctl` prints them (single spaces), so they compare equal to the host's.
    sysctls: { ...routerSysctls(hasIpv6), ...Object.fromEntries(Object.entries(spec.sysctls).map(([k, v]) => [k, v.trim().split(/\s+/).join(" ")])) },
    interfaces,
    routes: spec.routes.map((r) => ({
      destination: r.destination === "default" ? "default" : canonicalCidr(r.destination),
      ...(r.via !== undefined ? { via: canonicalIp(r.via) } : {}),
      ...(r.device !== undefined ? { device: r.device } : {}),
    })),
    snat: spec.snat.map((s) => ({
      interface: s.interface,
      sources: s.sources.map(canonicalCidr),
      toSource: s.toSource !== undefined ? canonicalIp(s.toSource) : firstIpv4(spec, s.interface)!,
    })),
    floatingIps: spec.floatingIps.map((f) => ({
      floatingIp: canonicalIp(f.floatingIp),
      fixedIp: canonicalIp(f.fixedIp),
      interface: f.interface ?? connected.find((c) => contains(c.cidr, ipOf(f.floatingIp)!))!.iface,
    })),
  };
}

export const routerNamespaceSpec = shape
  .superRefine((spec, ctx) => {
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
    for (const issue of issues) ctx.addIssue({ code: "custom", ...issue });
  })
  .transform(canonical);

export type RouterNamespaceSpec = z.output<typeof routerNamespaceSpec>;
export type RouterInterfaceSpec = RouterNamespaceSpec["interfaces"][number];
export type RouterVlanSpec = NonNullable<RouterInterfaceSpec["vlans"]>[number];
export type RouteSpec = RouterNamespaceSpec["routes"][number];
export type SnatSpec = RouterNamespaceSpec["snat"][number];
export type FloatingIpSpec = RouterNamespaceSpec["floatingIps"][number];

// Docs and validation cannot drift apart: the documented args must be what the schema accepts.
routerNamespaceSpec satisfies z.ZodType<RouterNamespaceSpec, RouterNamespaceArgs>;
