// RouterNamespace: the core's router schema, reader, planner and observer, wired for the CRUD.
import { routerNamespaceSpec, RouterNamespaceSpec } from "../core/schema/router";
import { readBridges } from "../core/compile/vsctl";
import { readNamespaceTenants, readRouter } from "../core/compile/router";
import { parseBridges } from "../core/live/bridge";
import { LiveRouter, parseHostLinks, parseNamespace, parseTenants } from "../core/live/router";
import { allPorts, planRouter, planRouterDelete } from "../core/plan/router";
import { observeRouter } from "../core/plan/router/observe";
import { runChecked, Transport } from "../transport/types";
import { KindDefinition } from "./kind";

/** Two commands: the host's links and the namespace's whole state, and every OVS port (ours may be on any bridge). */
async function readLive(host: Transport, spec: RouterNamespaceSpec): Promise<LiveRouter> {
  const ns = await runChecked(host, readRouter(spec.name, Object.keys(spec.sysctls)));
  const ovs = await runChecked(host, readBridges([]));
  return { namespace: parseNamespace(spec.name, ns.stdout), hostLinks: parseHostLinks(ns.stdout), ovs: parseBridges(ovs.stdout) };
}

export const routerNamespaceKind: KindDefinition<RouterNamespaceSpec, LiveRouter> = {
  title: "RouterNamespace",
  schema: routerNamespaceSpec,
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  readLive,
  // Before a delete, also what else lives in the namespace: anything not ours keeps it.
  readForDelete: async (host, spec) => {
    const live = await readLive(host, spec);
    if (!live.namespace) return live;
    const tenants = parseTenants((await runChecked(host, readNamespaceTenants(spec.name))).stdout);
    return { ...live, namespace: { ...live.namespace, ...(tenants ? { tenants } : {}) } };
  },
  plan: planRouter,
  planDelete: (spec, live, owner) => planRouterDelete(spec.name, live, owner),
  observe: observeRouter,
  emptyLive: (_spec, ovs) => ({ ovs }),
  verify: (desired, live) =>
    allPorts(live)
      .filter((p) => desired.interfaces.some((i) => i.name === p.name) && (p.ofport === -1 || p.error))
      .map((p) => `port ${p.name}: ${p.error ?? "OVS could not open the interface"}`),
};
