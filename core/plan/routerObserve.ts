// The host's router in the spec's shape (for read, refresh and diff): what is there and
// agrees with `reference` reads back exactly as declared; anything else ours is appended.
import { OWNER_KEY } from "../schema/common";
import { namespaceMark } from "../compile/ip";
import { RouteSpec, routeFamily, RouterInterfaceSpec, RouterNamespaceSpec } from "../schema/router";
import { LiveRoute } from "../live/ip";
import { LiveRouter } from "../live/router";
import { pickKeys } from "./maps";
import { allPorts, PlacedPort } from "./router";
import { managedAddresses, ownedRoutes } from "./routerLinks";
import { observeNat } from "./routerNat";

/** Reference items first, in the reference's order, then the rest in the host's order. */
function inReferenceOrder<T>(items: T[], rank: (item: T) => number): T[] {
  return items.map((item, i) => ({ item, i, r: rank(item) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.item);
}

const rankIn = <T>(list: T[], find: (x: T) => boolean) => {
  const i = list.findIndex(find);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
};

function observeInterface(live: LiveRouter, port: PlacedPort, spec: RouterNamespaceSpec): RouterInterfaceSpec {
  const reference = spec.interfaces.find((i) => i.name === port.name);
  const link = live.namespace?.links.find((l) => l.name === port.name);
  const fips = spec.floatingIps.filter((f) => f.interface === port.name).map((f) => `${f.floatingIp}/32`);
  const addresses = (link ? managedAddresses(link) : []).map((a) => a.cidr).filter((a) => !fips.includes(a));
  const declared = reference?.addresses ?? [];
  return {
    name: port.name,
    bridge: port.bridge,
    ...(port.tag !== undefined ? { tag: port.tag } : {}),
    addresses: inReferenceOrder(addresses, (a) => rankIn(declared, (d) => d === a)),
    // MAC and MTU are shown only when declared: otherwise they are the host's to pick.
    ...(link && reference?.mac !== undefined ? { mac: link.mac } : {}),
    ...(link && reference?.mtu !== undefined ? { mtu: link.mtu } : {}),
  };
}

function observeRoute(r: LiveRoute, reference: RouteSpec | undefined): RouteSpec {
  return {
    destination: r.destination,
    ...(r.via !== undefined ? { via: r.via } : {}),
    ...(r.device !== undefined && (!reference || reference.device !== undefined) ? { device: r.device } : {}),
  };
}

export function observeRouter(live: LiveRouter, reference: RouterNamespaceSpec, owner: string): RouterNamespaceSpec | undefined {
  const ns = live.namespace;
  if (!ns || ns.links.find((l) => l.name === "lo")?.alias !== namespaceMark(owner)) return undefined;
  const ports = allPorts(live).filter((p) => p.externalIds[OWNER_KEY] === owner);
  const interfaces = inReferenceOrder(ports, (p) => rankIn(reference.interfaces, (i) => i.name === p.name)).map((p) =>
    observeInterface(live, p, reference),
  );
  const routeKey = (r: { destination: string }, family: 4 | 6) => `${family} ${r.destination}`;
  const routes = inReferenceOrder(ownedRoutes(ns), (r) => rankIn(reference.routes, (w) => routeKey(w, routeFamily(w)) === routeKey(r, r.family))).map(
    (r) => observeRoute(r, reference.routes.find((w) => routeKey(w, routeFamily(w)) === routeKey(r, r.family))),
  );
  const hasAddress = (iface: string, cidr: string) => !!ns.links.find((l) => l.name === iface)?.addresses.some((a) => a.cidr === cidr);
  return {
    name: ns.name,
    sysctls: pickKeys(ns.sysctls, reference.sysctls),
    interfaces,
    routes,
    ...observeNat(ns.nat, reference, hasAddress),
  };
}
