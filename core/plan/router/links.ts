// Inside the namespace: each device's link settings and addresses, and the routes, as
// the lines of one `ip -n NS -batch -`; VLAN devices to create or delete as the lines of
// another. The namespace is ours, so every route the kernel did not add itself
// (`proto kernel`) and every VLAN device is ours to keep or remove.
import {
  addressAdd,
  addressDel,
  IpLine,
  linkAddVlan,
  linkDel,
  linkSet,
  routeDel,
  routeReplace,
} from "../../compile/ip";
import { LiveAddress, LiveLink, LiveRoute } from "../../live/ip";
import { LiveNamespace } from "../../live/router";
import { parseCidr } from "../../net/address";
import { RouteSpec, routeFamily, RouterNamespaceSpec, vlanDeviceName } from "../../schema/router";

/** What a device looks like right after it enters the namespace: down, no addresses. */
const FRESH: LiveLink = { name: "", up: false, mtu: 0, mac: "", addresses: [] };

/** The addresses a device must carry: its own plus the floating IPs it holds (/32). */
export function wantedAddresses(spec: RouterNamespaceSpec, device: { name: string; addresses: string[] }): string[] {
  return [
    ...device.addresses,
    ...spec.floatingIps.filter((f) => f.interface === device.name).map((f) => `${f.floatingIp}/32`),
  ];
}

/** A device the router sets up: an interface, or a VLAN device (`vlan`) on one. */
export interface WantedDevice {
  name: string;
  addresses: string[];
  mac?: string;
  mtu?: number;
  /** Declared administrative state; undefined means up. */
  up?: boolean;
  vlan?: { id: number; parent: string };
}

/** Every device in declaration order: each interface, then its VLAN devices. */
export function wantedDevices(spec: RouterNamespaceSpec): WantedDevice[] {
  return spec.interfaces.flatMap((i) => [
    { name: i.name, addresses: i.addresses, mac: i.mac, mtu: i.mtu, up: i.up },
    ...(i.vlans ?? []).map((v) => ({
      name: vlanDeviceName(i.name, v.id),
      addresses: v.addresses,
      mtu: v.mtu,
      vlan: { id: v.id, parent: i.name },
    })),
  ]);
}

export interface VlanPlan {
  /** `link del` of unwanted VLAN devices, then `link add` of missing ones. */
  lines: IpLine[];
  created: string[];
  deleted: string[];
}

/**
 * VLAN devices to delete (not declared, or with another id or parent) and to create.
 * Devices on a parent in `freshParents` (recreated by OVS, or just moved in) count as
 * absent: the kernel deletes a VLAN device with its parent.
 */
export function planVlanDevices(
  spec: RouterNamespaceSpec,
  ns: LiveNamespace | undefined,
  freshParents: Set<string>,
): VlanPlan {
  const wanted = wantedDevices(spec).filter((d) => d.vlan);
  const live = (ns?.links ?? []).filter((l) => l.vlan && !freshParents.has(l.vlan.parent));
  const same = (w: WantedDevice, l: LiveLink) =>
    w.name === l.name && w.vlan!.id === l.vlan!.id && w.vlan!.parent === l.vlan!.parent;
  const deleted = live.filter((l) => !wanted.some((w) => same(w, l))).map((l) => l.name);
  const created = wanted.filter((w) => !live.some((l) => same(w, l)));
  return {
    lines: [...deleted.map(linkDel), ...created.map((w) => linkAddVlan(w.vlan!.parent, w.name, w.vlan!.id))],
    created: created.map((w) => w.name),
    deleted,
  };
}

/** Addresses we manage on a device: all but the link-local ones the kernel makes. */
export function managedAddresses(link: LiveLink): LiveAddress[] {
  return link.addresses.filter((a) => a.scope !== "link");
}

const ipOnly = (cidr: string) => cidr.slice(0, cidr.indexOf("/"));

function planDevice(spec: RouterNamespaceSpec, iface: WantedDevice, live: LiveLink): IpLine[] {
  const lines: IpLine[] = [];
  const mac = iface.mac !== undefined && iface.mac !== live.mac ? iface.mac : undefined;
  const mtu = iface.mtu !== undefined && iface.mtu !== live.mtu ? iface.mtu : undefined;
  if (mac !== undefined || mtu !== undefined) lines.push(linkSet(iface.name, { mac, mtu }));
  const wanted = wantedAddresses(spec, iface);
  const have = managedAddresses(live).map((a) => a.cidr);
  const adds = wanted.filter((a) => !have.includes(a));
  const dels = have.filter((a) => !wanted.includes(a));
  // IPv6 keeps one entry per address whatever the prefix: a changed prefix must go first.
  // Otherwise add before delete, so the subnet never loses its last address (and routes).
  const clash = (d: string) => parseCidr(d)?.family === 6 && adds.some((a) => ipOnly(a) === ipOnly(d));
  lines.push(...dels.filter(clash).map((d) => addressDel(d, iface.name)));
  lines.push(...adds.map((a) => addressAdd(a, iface.name)));
  lines.push(...dels.filter((d) => !clash(d)).map((d) => addressDel(d, iface.name)));
  // Up last: with arp_notify the kernel then announces the addresses (gratuitous ARP), so
  // neighbours drop a stale MAC at once, e.g. after OVS recreated the port.
  const up = iface.up ?? true;
  if (live.up !== up) lines.push(linkSet(iface.name, { up }));
  return lines;
}

const DEFAULT_METRIC: Record<4 | 6, number> = { 4: 0, 6: 1024 };

function matches(want: RouteSpec, family: 4 | 6, r: LiveRoute): boolean {
  return (
    r.family === family && r.destination === want.destination && r.type === "unicast" &&
    r.via === want.via && (want.device === undefined || r.device === want.device)
  );
}

/** Our routes: the namespace's non-kernel routes. */
export function ownedRoutes(ns: LiveNamespace | undefined): LiveRoute[] {
  return (ns?.routes ?? []).filter((r) => r.protocol !== "kernel");
}

/**
 * `replace` for each missing or different route, `del` for the rest. Routes on devices
 * that vanish in this plan (OVS deletes or recreates them) go with them: they count as absent.
 */
function planRoutes(
  spec: RouterNamespaceSpec,
  ns: LiveNamespace | undefined,
  vanishing: Set<string>,
): { dels: IpLine[]; replaces: IpLine[] } {
  const live = ownedRoutes(ns).filter((r) => !(r.device && vanishing.has(r.device)));
  const keep = new Set<LiveRoute>();
  const replaces: IpLine[] = [];
  for (const want of spec.routes) {
    const family = routeFamily(want);
    const group = live.filter((r) => r.family === family && r.destination === want.destination);
    const match = group.find((r) => matches(want, family, r));
    if (match) {
      keep.add(match);
      continue;
    }
    replaces.push(routeReplace({ ...want, family }));
    // `replace` overwrites the route of the default metric; others of that destination must go.
    for (const r of group) if (r.metric === DEFAULT_METRIC[family]) keep.add(r);
  }
  return { dels: live.filter((r) => !keep.has(r)).map((r) => routeDel(r)), replaces };
}

/**
 * Lines for `ip -n NS -batch -`. `entering` are the devices that appear in the namespace
 * in this plan (moved in, recreated by OVS, VLAN devices created); they start out fresh. Unwanted
 * routes go first (an address change could take them away under a later `route del`),
 * routes are added last (their gateways need the addresses).
 */
export function planLinks(
  spec: RouterNamespaceSpec,
  ns: LiveNamespace | undefined,
  entering: Set<string>,
  vanishing: Set<string>,
  loUp: boolean,
): IpLine[] {
  const lines: IpLine[] = [];
  if (!loUp) lines.push(linkSet("lo", { up: true }));
  for (const device of wantedDevices(spec)) {
    const live = entering.has(device.name) ? FRESH : (ns?.links.find((l) => l.name === device.name) ?? FRESH);
    lines.push(...planDevice(spec, device, live));
  }
  const routes = planRoutes(spec, ns, vanishing);
  return [...routes.dels, ...lines, ...routes.replaces];
}
