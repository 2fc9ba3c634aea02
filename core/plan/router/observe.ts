// The host's router in the spec's shape (for read, refresh and diff): what is there and
// agrees with `reference` reads back exactly as declared; anything else ours is appended.
import { namespaceMark } from "../../compile/ip";
import {
  RouteSpec,
  routeFamily,
  RouterInterfaceSpec,
  RouterNamespaceSpec,
  RouterVlanSpec,
  vlanDeviceName,
} from "../../schema/router";
import { LiveLink, LiveRoute } from "../../live/ip";
import { LiveRouter } from "../../live/router";
import { pickKeys } from "../maps";
import { deviceLost, ownPorts, PlacedPort } from "./index";
import { managedAddresses, ownedRoutes } from "./links";
import { observeNat } from "./nat";

/** Reference items first, in the reference's order, then the rest in the host's order. */
function inReferenceOrder<T>(items: T[], rank: (item: T) => number): T[] {
  return items.map((item, i) => ({ item, i, r: rank(item) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.item);
}

const rankIn = <T>(list: T[], find: (x: T) => boolean) => {
  const i = list.findIndex(find);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
};

/** A device's own addresses (floating IPs it holds are shown as floatingIps), in declared order. */
function addressesOf(link: LiveLink | undefined, spec: RouterNamespaceSpec, declared: string[]): string[] {
  const fips = spec.floatingIps.filter((f) => f.interface === link?.name).map((f) => `${f.floatingIp}/32`);
  const addresses = (link ? managedAddresses(link) : []).map((a) => a.cidr).filter((a) => !fips.includes(a));
  return inReferenceOrder(addresses, (a) => rankIn(declared, (d) => d === a));
}

/** The VLAN devices on `parent` that carry their `<parent>.<id>` name (others are deleted by the plan). */
function observeVlans(
  live: LiveRouter,
  parent: string,
  reference: RouterInterfaceSpec | undefined,
  spec: RouterNamespaceSpec,
): RouterVlanSpec[] {
  const links = (live.namespace?.links ?? []).filter(
    (l) => l.vlan?.parent === parent && l.name === vlanDeviceName(parent, l.vlan.id),
  );
  const declared = reference?.vlans ?? [];
  return inReferenceOrder(links, (l) => rankIn(declared, (v) => v.id === l.vlan!.id)).map((l) => {
    const ref = declared.find((v) => v.id === l.vlan!.id);
    return {
      id: l.vlan!.id,
      addresses: addressesOf(l, spec, ref?.addresses ?? []),
      ...(ref?.mtu !== undefined ? { mtu: l.mtu } : {}),
    };
  });
}

function observeInterface(live: LiveRouter, port: PlacedPort, spec: RouterNamespaceSpec): RouterInterfaceSpec {
  const reference = spec.interfaces.find((i) => i.name === port.name);
  // A dead copy (its OVS restarted, or the port is gone from under it) carries nothing.
  const dead = deviceLost(port.name, live) || !!live.hostLinks?.includes(port.name);
  const link = dead ? undefined : live.namespace?.links.find((l) => l.name === port.name);
  const vlans = observeVlans(live, port.name, reference, spec);
  return {
    name: port.name,
    bridge: port.bridge,
    ...(port.tag !== undefined ? { tag: port.tag } : {}),
    ...(port.trunks.length ? { trunks: [...port.trunks].sort((a, b) => a - b) } : {}),
    ...(vlans.length ? { vlans } : {}),
    addresses: addressesOf(link, spec, reference?.addresses ?? []),
    // MAC and MTU are shown only when declared: otherwise they are the host's to pick.
    ...(link && reference?.mac !== undefined ? { mac: link.mac } : {}),
    ...(link && reference?.mtu !== undefined ? { mtu: link.mtu } : {}),
    // Up is the default: shown when declared, or when the device is down against it.
    ...(link && (reference?.up !== undefined || !link.up) ? { up: link.up } : {}),
  };
}

function observeRoute(r: LiveRoute, reference: RouteSpec | undefined): RouteSpec {
  return {
    destination: r.destination,
    ...(r.via !== undefined ? { via: r.via } : {}),
    ...(r.device !== undefined && (!reference || reference.device !== undefined) ? { device: r.device } : {}),
  };
}

export function observeRouter(
  live: LiveRouter,
  reference: RouterNamespaceSpec,
  owner: string,
): RouterNamespaceSpec | undefined {
  const ns = live.namespace;
  if (!ns || ns.links.find((l) => l.name === "lo")?.alias !== namespaceMark(owner)) return undefined;
  const ports = ownPorts(live, owner);
  const interfaces = inReferenceOrder(ports, (p) => rankIn(reference.interfaces, (i) => i.name === p.name)).map((p) =>
    observeInterface(live, p, reference),
  );
  const routeKey = (r: { destination: string }, family: 4 | 6) => `${family} ${r.destination}`;
  const routes = inReferenceOrder(ownedRoutes(ns), (r) =>
    rankIn(reference.routes, (w) => routeKey(w, routeFamily(w)) === routeKey(r, r.family)),
  ).map((r) =>
    observeRoute(
      r,
      reference.routes.find((w) => routeKey(w, routeFamily(w)) === routeKey(r, r.family)),
    ),
  );
  const hasAddress = (iface: string, cidr: string) =>
    !!ns.links.find((l) => l.name === iface)?.addresses.some((a) => a.cidr === cidr);
  return {
    name: ns.name,
    sysctls: pickKeys(ns.sysctls, reference.sysctls),
    interfaces,
    routes,
    ...observeNat(ns.nat, reference, hasAddress),
  };
}
