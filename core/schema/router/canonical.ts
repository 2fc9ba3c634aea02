// RouterNamespace's canonical form: addresses as `ip` prints them, defaults resolved
// (Neutron's router sysctls, SNAT sources, floating IPs' interfaces), so a spec compares
// equal to what the host reports.
import { contains } from "../../net/address";
import { canonicalCidr, canonicalIp, canonicalMac, ipOf } from "./fields";
import { connectedSubnets, firstIpv4, routeFamily } from "./rules";
import { Shape } from "./shape";

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

/** The spec in canonical form (addresses as `ip` prints them) with its defaults resolved. */
export function canonical(spec: Shape) {
  const connected = connectedSubnets(spec);
  const interfaces = spec.interfaces.map((i) => ({
    name: i.name,
    bridge: i.bridge,
    ...(i.tag !== undefined ? { tag: i.tag } : {}),
    // Present only when used, so state written before trunks and VLANs existed reads back unchanged.
    ...(i.trunks?.length ? { trunks: [...i.trunks].sort((a, b) => a - b) } : {}),
    ...(i.vlans.length
      ? {
          vlans: i.vlans.map((v) => ({
            id: v.id,
            addresses: v.addresses.map(canonicalCidr),
            ...(v.mtu !== undefined ? { mtu: v.mtu } : {}),
          })),
        }
      : {}),
    addresses: i.addresses.map(canonicalCidr),
    ...(i.mac !== undefined ? { mac: canonicalMac(i.mac) } : {}),
    ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
    ...(i.up !== undefined ? { up: i.up } : {}),
  }));
  const hasIpv6 = connected.some((c) => c.cidr.family === 6) || spec.routes.some((r) => routeFamily(r) === 6);
  return {
    name: spec.name,
    // Values as `sysctl` prints them (single spaces), so they compare equal to the host's.
    sysctls: {
      ...routerSysctls(hasIpv6),
      ...Object.fromEntries(Object.entries(spec.sysctls).map(([k, v]) => [k, v.trim().split(/\s+/).join(" ")])),
    },
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
    ...(spec.adopt !== undefined ? { adopt: spec.adopt } : {}),
  };
}
