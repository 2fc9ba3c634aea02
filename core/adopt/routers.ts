// Namespaces as RouterNamespaces: their OVS internal ports (with VLAN devices, addresses,
// MTU), routes, the sysctls that differ from a router's defaults, and NAT rules read as
// SNAT and floating IPs. What a RouterNamespace cannot state (another kind of device, a
// rule of another shape, another agent's chains) is listed instead.
import { OWNER_KEY } from "../schema/common";
import { RouteArgs, RouterInterfaceArgs, RouterNamespaceArgs, SnatArgs, FloatingIpArgs } from "../schema/router";
import { routerSysctls } from "../schema/router";
import { OUR_CHAINS } from "../compile/iptables";
import { LiveLink } from "../live/ip";
import { LiveTable, rulesOf } from "../live/iptables";
import { LiveNamespace } from "../live/router";
import { contains, parseCidr, parseIp } from "../net/address";
import { managedAddresses, ownedRoutes } from "../plan/router/links";
import { AdoptOptions, Declared, globMatches, HostState, Names, parseMark, whose } from "./model";

const selected = (ns: string, options: AdoptOptions) =>
  options.netns.length === 0 || options.netns.some((p) => globMatches(p, ns));

/** The namespace's owner from `lo`'s alias (ovslab's mark), when the alias is one. */
function namespaceOwner(ns: LiveNamespace, options: AdoptOptions) {
  const alias = ns.links.find((l) => l.name === "lo")?.alias;
  return whose(parseMark(alias)?.type === "RouterNamespace" ? alias : undefined, options);
}

/**
 * Where each OVS port's device is: `claimed`, in a namespace that will be declared (its
 * router states the port); `elsewhere`, in a namespace that will not (port -> namespace).
 */
export function placeDevices(
  host: HostState,
  options: AdoptOptions,
): { claimed: Set<string>; elsewhere: Map<string, string> } {
  const claimed = new Set<string>();
  const elsewhere = new Map<string, string>();
  for (const ns of host.namespaces) {
    const declared = selected(ns.name, options) && !("foreign" in namespaceOwner(ns, options));
    for (const link of ns.links) {
      if (!host.ovs.portBridge.has(link.name)) continue;
      if (declared) claimed.add(link.name);
      else elsewhere.set(link.name, ns.name);
    }
  }
  return { claimed, elsewhere };
}

const DNAT = /^-d (\S+)\/32 -j DNAT --to-destination (\S+)$/;
const SNAT = /^(?:-s (\S+) )?-o (\S+) -j SNAT --to-source (\S+)$/;
const HOOKS = ["PREROUTING", "OUTPUT", "POSTROUTING"] as const;

interface Nat {
  snat: SnatArgs[];
  floatingIps: FloatingIpArgs[];
  /** Floating IPs' addresses (`172.24.4.10/32` on the gateway): stated as floatingIps, not as addresses. */
  held: Array<{ iface: string; cidr: string }>;
  leftAlone: string[];
}

/** The NAT rules of the built-in chains and of ovslab's chains jumped to from them, as SNAT and floating IPs. */
export function readNat(ns: string, nat: LiveTable, links: LiveLink[]): Nat {
  const out: Nat = { snat: [], floatingIps: [], held: [], leftAlone: [] };
  const acting: Record<string, string[]> = {};
  const others = new Set<string>();
  for (const hook of HOOKS) {
    acting[hook] = [];
    for (const spec of rulesOf(nat, hook)) {
      const jump = /^-j (\S+)$/.exec(spec)?.[1];
      if (jump === OUR_CHAINS[hook]) acting[hook].push(...rulesOf(nat, jump));
      else if (jump !== undefined && nat.chains.some((c) => c.name === jump)) others.add(jump);
      else acting[hook].push(spec);
    }
  }
  for (const chain of nat.chains) {
    if (chain.policy !== undefined || (Object.values(OUR_CHAINS) as string[]).includes(chain.name)) continue;
    const count = rulesOf(nat, chain.name).length;
    const why = chain.name.startsWith("neutron-") ? "another agent writes it" : "not a chain RouterNamespace writes";
    out.leftAlone.push(
      `nat chain ${chain.name} in ${ns} (${count} rule(s)${others.has(chain.name) ? ", jumped to" : ""}): ${why}`,
    );
  }
  const hasAddress = (iface: string, cidr: string) =>
    links.find((l) => l.name === iface)?.addresses.some((a) => a.cidr === cidr) ?? false;
  let post = [...acting.POSTROUTING];
  const dnats = new Set(acting.PREROUTING.filter((spec) => DNAT.test(spec) && acting.OUTPUT.includes(spec)));
  for (const spec of dnats) {
    const [, fip, fixed] = DNAT.exec(spec)!;
    const back = post.find((s) => SNAT.exec(s)?.[1] === `${fixed}/32` && SNAT.exec(s)?.[3] === fip);
    const iface = back ? SNAT.exec(back)![2] : undefined;
    if (!back || !iface || !hasAddress(iface, `${fip}/32`)) continue;
    post = post.filter((s) => s !== back);
    out.held.push({ iface, cidr: `${fip}/32` });
    // Stated only when the default (the interface whose subnet holds it) would pick another.
    const holder = links.find((l) => l.addresses.some((a) => a.cidr !== `${fip}/32` && containsIp(a.cidr, fip)));
    out.floatingIps.push({ floatingIp: fip, fixedIp: fixed, ...(holder?.name !== iface ? { interface: iface } : {}) });
  }
  const taken = new Set(out.floatingIps.map((f) => `-d ${f.floatingIp}/32 -j DNAT --to-destination ${f.fixedIp}`));
  for (const hook of ["PREROUTING", "OUTPUT"] as const)
    for (const spec of acting[hook].filter((s) => !taken.has(s)))
      out.leftAlone.push(`nat rule -A ${hook} ${spec} in ${ns}: not a shape RouterNamespace states`);
  for (const spec of post) {
    const m = SNAT.exec(spec);
    if (!m) {
      out.leftAlone.push(`nat rule -A POSTROUTING ${spec} in ${ns}: not a shape RouterNamespace states`);
      continue;
    }
    const [, source = "0.0.0.0/0", iface, toSource] = m;
    const entry = out.snat.find((s) => s.interface === iface && s.toSource === toSource);
    if (entry) entry.sources.push(source);
    else out.snat.push({ interface: iface, sources: [source], toSource });
  }
  return out;
}

function containsIp(cidr: string, ip: string): boolean {
  const subnet = parseCidr(cidr);
  const address = parseIp(ip);
  return subnet !== undefined && address !== undefined && subnet.family === address.family && contains(subnet, address);
}

/** Each selected namespace that is not someone else's, as a RouterNamespace; `bridges`: the declared ones, in order. */
export function declareRouters(
  host: HostState,
  options: AdoptOptions,
  bridges: ReadonlySet<string>,
): { routers: Declared<RouterNamespaceArgs>[]; leftAlone: string[] } {
  const routers: Declared<RouterNamespaceArgs>[] = [];
  const leftAlone: string[] = [];
  const names = new Names();
  const portsByName = new Map(host.ovs.bridges.flatMap((b) => b.ports.map((p) => [p.name, p] as const)));
  for (const ns of host.namespaces.filter((n) => selected(n.name, options))) {
    const owner = namespaceOwner(ns, options);
    if ("foreign" in owner) {
      leftAlone.push(`namespace ${ns.name} and its devices: owned by ${owner.foreign}`);
      continue;
    }
    const nat = readNat(ns.name, ns.nat, ns.links);
    leftAlone.push(...nat.leftAlone);
    const interfaces: RouterInterfaceArgs[] = [];
    for (const link of ns.links) {
      const bridge = host.ovs.portBridge.get(link.name);
      const port = portsByName.get(link.name);
      const portOwner = whose(port?.externalIds[OWNER_KEY], options);
      if (link.name === "lo" || (link.vlan && host.ovs.portBridge.has(link.vlan.parent))) continue;
      if (!bridge || !port)
        leftAlone.push(`device ${link.name} in ${ns.name}: not an OVS port, which RouterNamespace cannot state`);
      else if (!bridges.has(bridge))
        leftAlone.push(`device ${link.name} in ${ns.name}: a port of bridge ${bridge}, which is not adopted`);
      else if ("foreign" in portOwner)
        leftAlone.push(`device ${link.name} in ${ns.name}: its port is owned by ${portOwner.foreign}`);
      else interfaces.push(interfaceArgs(link, bridge, port, ns.links, nat.held));
    }
    // The host keeps no order of them (OVS makes the devices in any order): bridge by bridge,
    // as the bridges are declared.
    const rank = [...bridges];
    interfaces.sort((a, b) => rank.indexOf(a.bridge) - rank.indexOf(b.bridge));
    const declared = new Set(interfaces.map((i) => i.name));
    const routes: RouteArgs[] = [];
    for (const r of ownedRoutes(ns)) {
      const subnets = interfaces.flatMap((i) => [
        ...(i.addresses ?? []),
        ...(i.vlans ?? []).flatMap((v) => v.addresses ?? []),
      ]);
      const reachable = r.via === undefined || subnets.some((a) => containsIp(a, r.via!));
      if (r.type !== "unicast" || (r.device !== undefined && !declared.has(r.device)) || !reachable)
        leftAlone.push(
          `route ${r.type} ${r.destination}${r.via ? ` via ${r.via}` : ""} in ${ns.name}: ` +
            "not a route RouterNamespace states",
        );
      else
        routes.push({ destination: r.destination, ...(r.via !== undefined ? { via: r.via } : { device: r.device }) });
    }
    const hasIpv6 =
      interfaces.some((i) => i.addresses?.some((a) => a.includes(":"))) || routes.some((r) => r.via?.includes(":"));
    const defaults = routerSysctls(hasIpv6);
    const sysctls = Object.fromEntries(
      Object.entries(defaults).flatMap(([k, v]) =>
        ns.sysctls[k] !== undefined && ns.sysctls[k] !== v ? [[k, ns.sysctls[k]]] : [],
      ),
    );
    const mark = "own" in owner ? owner.own : undefined;
    routers.push({
      name: names.claim(mark?.name ?? ns.name),
      args: {
        name: ns.name,
        ...(Object.keys(sysctls).length ? { sysctls } : {}),
        interfaces,
        ...(routes.length ? { routes } : {}),
        ...(nat.snat.length ? { snat: nat.snat.map((s) => withoutDefaultSource(s, interfaces)) } : {}),
        ...(nat.floatingIps.length ? { floatingIps: nat.floatingIps } : {}),
      },
      adopt: !mark,
      notes: [],
    });
  }
  return { routers, leftAlone };
}

/** The SNAT address is stated only when it is not the interface's first IPv4 address (the default). */
function withoutDefaultSource(s: SnatArgs, interfaces: RouterInterfaceArgs[]): SnatArgs {
  const first = interfaces.find((i) => i.name === s.interface)?.addresses?.find((a) => !a.includes(":"));
  return first?.split("/")[0] === s.toSource ? { interface: s.interface, sources: s.sources } : s;
}

function interfaceArgs(
  link: LiveLink,
  bridge: string,
  port: { tag?: number; trunks: number[] },
  links: LiveLink[],
  held: Nat["held"],
): RouterInterfaceArgs {
  const own = (l: LiveLink) =>
    managedAddresses(l)
      .map((a) => a.cidr)
      .filter((c) => !held.some((h) => h.iface === l.name && h.cidr === c));
  const vlans = links
    .filter((l) => l.vlan?.parent === link.name && l.name === `${link.name}.${l.vlan.id}`)
    .map((l) => ({
      id: l.vlan!.id,
      ...(own(l).length ? { addresses: own(l) } : {}),
      ...(l.mtu !== link.mtu ? { mtu: l.mtu } : {}),
    }));
  const addresses = own(link);
  return {
    name: link.name,
    bridge,
    ...(port.tag !== undefined ? { tag: port.tag } : {}),
    ...(port.trunks.length ? { trunks: [...port.trunks].sort((a, b) => a - b) } : {}),
    ...(vlans.length ? { vlans } : {}),
    ...(addresses.length ? { addresses } : {}),
    ...(link.mtu !== 1500 ? { mtu: link.mtu } : {}),
    ...(!link.up ? { up: false } : {}),
  };
}
