// RouterNamespace: the core's router schema, reader, planner and observer, wired for the CRUD.
import { routerNamespaceSpec, RouterNamespaceSpec } from "../core/schema/router";
import { readBridges } from "../core/compile/vsctl";
import { readRouter } from "../core/compile/router";
import { parseBridges } from "../core/live/bridge";
import { LiveRouter, parseHostLinks, parseNamespace } from "../core/live/router";
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
  plan: planRouter,
  planDelete: (spec, live, owner) => planRouterDelete(spec.name, live, owner),
  observe: observeRouter,
  emptyLive: (_spec, ovs) => ({ ovs }),
  verify: (desired, live) =>
    allPorts(live)
      .filter((p) => desired.interfaces.some((i) => i.name === p.name) && (p.ofport === -1 || p.error))
      .map((p) => `port ${p.name}: ${p.error ?? "OVS could not open the interface"}`),
};
