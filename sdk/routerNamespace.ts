import type * as pulumi from "@pulumi/pulumi";
import {
  FloatingIpArgs as FloatingIpSpecArgs, FloatingIpSpec, RouteArgs as RouteSpecArgs, RouterInterfaceArgs as RouterInterfaceSpecArgs,
  RouterInterfaceSpec, routerNamespaceSpec, RouterVlanArgs as RouterVlanSpecArgs, RouteSpec, SnatArgs as SnatSpecArgs, SnatSpec,
} from "../core/schema/router";
import { HostArgs, Inputs, OvslabResource } from "./resource";

/** One router interface; each field may be a Pulumi Input (e.g. `bridge: brInt.name`). */
export type RouterInterfaceArgs = Inputs<RouterInterfaceSpecArgs>;
/** A Linux VLAN device `<interface>.<id>` on a trunk interface: `{ id: 10, addresses: ["10.0.10.1/24"] }`. */
export type RouterVlanArgs = Inputs<RouterVlanSpecArgs>;
export type RouteArgs = Inputs<RouteSpecArgs>;
export type SnatArgs = Inputs<SnatSpecArgs>;
export type FloatingIpArgs = Inputs<FloatingIpSpecArgs>;

/** Field docs, rules and defaults: `RouterNamespaceArgs` in core/schema/router.ts. */
export interface RouterNamespaceArgs extends HostArgs {
  /** The network namespace, e.g. `qrouter-<uuid>`: 1-64 bytes. Default: the resource name. Changing it replaces the router. */
  name?: pulumi.Input<string>;
  /** Sysctls inside the namespace, merged over the router defaults (`net.ipv4.ip_forward=1`, ...). */
  sysctls?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * OVS internal ports moved into the namespace: the seed's `qr-...` (br-int) and `qg-...` (br-ex),
   * or a trunk port (`trunks`) with Linux VLAN devices (`vlans`) holding the addresses.
   */
  interfaces?: pulumi.Input<pulumi.Input<RouterInterfaceArgs>[]>;
  /** Default and static routes; every other non-kernel route in the namespace is removed. */
  routes?: pulumi.Input<pulumi.Input<RouteArgs>[]>;
  /** Source NAT of internal subnets out of the gateway interface. */
  snat?: pulumi.Input<pulumi.Input<SnatArgs>[]>;
  /** 1:1 floating IPs: DNAT in PREROUTING and OUTPUT, SNAT back. */
  floatingIps?: pulumi.Input<pulumi.Input<FloatingIpArgs>[]>;
}

/**
 * A Neutron-style router: a network namespace with OVS internal ports, routes, SNAT and
 * floating IPs (iptables chains of its own, applied with `iptables-restore --noflush`),
 * converged over SSH against the live host. Drift shows in `pulumi preview`, `up`
 * repairs it, delete removes its ports, rules and namespace and nothing else. The
 * bridges belong to Bridge resources: pass their `name` outputs so the router waits.
 */
export class RouterNamespace extends OvslabResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly sysctls: pulumi.Output<Record<string, string>>;
  declare readonly interfaces: pulumi.Output<RouterInterfaceSpec[]>;
  declare readonly routes: pulumi.Output<RouteSpec[]>;
  /** With `toSource` resolved. */
  declare readonly snat: pulumi.Output<SnatSpec[]>;
  /** With `interface` resolved. */
  declare readonly floatingIps: pulumi.Output<FloatingIpSpec[]>;

  constructor(name: string, args: RouterNamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super("routerNamespace", "RouterNamespace", routerNamespaceSpec, name, { ...spec, name: spec.name ?? name }, { connection }, opts);
  }
}
