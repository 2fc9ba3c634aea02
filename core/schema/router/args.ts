// RouterNamespace's documented args: what a user writes, one TSDoc per field. The SDK's
// args are these same types with each field a Pulumi Input, so each doc exists once.
import type { AdoptArgs } from "../common";
/** One router interface: an OVS internal port moved into the namespace. */
export interface RouterInterfaceArgs {
  /** Linux device and OVSDB `Port.name`, e.g. `qr-1a2b3c4d-5e` or `qg-...`: 1-15 bytes. */
  name: string;
  /** The OVS bridge the port is on (a Bridge resource's), e.g. `br-int`. */
  bridge: string;
  /** OVSDB `Port.tag`: the access VLAN, 0-4095. Default none. */
  tag?: number;
  /**
   * OVSDB `Port.trunks`: the VLANs a trunk port carries into the namespace, tagged. Default none (all VLANs when
   * untagged).
   */
  trunks?: number[];
  /** Linux VLAN devices `<name>.<id>` on this interface (for a trunk port), each with its addresses. Default none. */
  vlans?: RouterVlanArgs[];
  /** Addresses with prefix length, IPv4 or IPv6 (`10.0.0.1/24`, `fd00::1/64`). Default none. */
  addresses?: string[];
  /** MAC address (`ip link set address`). Default: the one OVS gave the port. */
  mac?: string;
  /** MTU (`ip link set mtu`). Default: the device's own (1500). */
  mtu?: number;
  /** Administrative state (`ip link set up|down`). Default up; `false` keeps the device down. */
  up?: boolean;
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
export interface RouterNamespaceArgs extends AdoptArgs {
  /**
   * The network namespace, e.g. `qrouter-<uuid>`: 1-64 bytes. Default in a program: the resource name. Changing it
   * replaces the router.
   */
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
