// RouterNamespace: a network namespace routing between OVS internal ports, with SNAT and
// floating IPs, as Neutron's L3 agent builds a `qrouter-<uuid>`. The one source of truth
// for its fields, defaults and messages: args.ts (documented fields), shape.ts (types and
// single-field rules), rules.ts (rules across fields), canonical.ts (the canonical form).
import { z } from "zod";
import { RouterNamespaceArgs } from "./args";
import { canonical } from "./canonical";
import { routerIssues } from "./rules";
import { shape } from "./shape";

export type {
  FloatingIpArgs,
  RouteArgs,
  RouterInterfaceArgs,
  RouterNamespaceArgs,
  RouterVlanArgs,
  SnatArgs,
} from "./args";
export { routerSysctls } from "./canonical";
export { routeFamily, vlanDeviceName } from "./rules";

export const routerNamespaceSpec = shape
  .superRefine((spec, ctx) => {
    for (const issue of routerIssues(spec)) ctx.addIssue({ code: "custom", ...issue });
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
