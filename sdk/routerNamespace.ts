import type * as pulumi from "@pulumi/pulumi";
import {
  FloatingIpArgs as FloatingIpSpecArgs,
  FloatingIpSpec,
  RouteArgs as RouteSpecArgs,
  RouterInterfaceArgs as RouterInterfaceSpecArgs,
  RouterInterfaceSpec,
  RouterNamespaceArgs as RouterNamespaceSpecArgs,
  RouterVlanArgs as RouterVlanSpecArgs,
  RouteSpec,
  SnatArgs as SnatSpecArgs,
  SnatSpec,
} from "../core/schema/router";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, NamedByDefault, OvslabResource } from "./resource";

/** One router interface; each field may be a Pulumi Input (e.g. `bridge: brInt.name`). */
export type RouterInterfaceArgs = Inputs<RouterInterfaceSpecArgs>;
/** A Linux VLAN device `<interface>.<id>` on a trunk interface: `{ id: 10, addresses: ["10.0.10.1/24"] }`. */
export type RouterVlanArgs = Inputs<RouterVlanSpecArgs>;
export type RouteArgs = Inputs<RouteSpecArgs>;
export type SnatArgs = Inputs<SnatSpecArgs>;
export type FloatingIpArgs = Inputs<FloatingIpSpecArgs>;

/** The fields, their docs and defaults are `RouterNamespaceArgs` of core/schema/router/args.ts, each a Pulumi Input. */
export interface RouterNamespaceArgs extends Inputs<NamedByDefault<RouterNamespaceSpecArgs>>, HostArgs {}

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
    super(kinds.routerNamespace, name, { ...spec, name: spec.name ?? name }, { connection }, opts);
  }
}
