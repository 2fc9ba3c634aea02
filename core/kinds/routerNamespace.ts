// RouterNamespace: a network namespace with OVS internal ports, routes, SNAT and floating IPs.
import { RouterNamespaceArgs, routerNamespaceSpec, RouterNamespaceSpec } from "../schema/router";
import { documented } from "../schema/documented";
import { interfaceProblem } from "../live/bridge";
import { LiveRouter } from "../live/router";
import { allPorts, planRouter, planRouterDelete } from "../plan/router";
import { observeRouter } from "../plan/router/observe";
import { KindDefinition, vlanOf } from "./kind";
import { readNamespace, readOwnPorts } from "./shared";

export const routerNamespaceKind: KindDefinition<RouterNamespaceSpec, LiveRouter, "routerNamespace"> = {
  key: "routerNamespace",
  title: "RouterNamespace",
  order: 2,
  schema: documented<RouterNamespaceArgs>()(routerNamespaceSpec),
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  // The namespace's whole state, and the OVS ports we own or name (ours may be on any bridge).
  read: (spec, owner) =>
    readNamespace(spec.name, Object.keys(spec.sysctls), (namespace) =>
      readOwnPorts(owner, spec.interfaces.map((i) => i.name), (ovs) => ({ namespace, ovs }))),
  plan: planRouter,
  planDelete: (spec, live, owner) => planRouterDelete(spec.name, live, owner),
  observe: observeRouter,
  emptyLive: (_spec, ovs) => ({ ovs }),
  verify: (desired, live) =>
    allPorts(live)
      .filter((p) => desired.interfaces.some((i) => i.name === p.name) && interfaceProblem(p))
      .map((p) => `port ${p.name}: ${interfaceProblem(p)}`),
  graph: {
    bridges: (spec) => spec.interfaces.map((i) => i.bridge),
    ports: (spec) =>
      spec.interfaces.map((i) => ({
        bridge: i.bridge,
        name: i.name,
        type: "internal",
        ...vlanOf(i),
        role: { kind: "router", namespace: spec.name, addresses: i.addresses },
      })),
  },
};
