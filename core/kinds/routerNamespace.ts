// RouterNamespace: a network namespace with OVS internal ports, routes, SNAT and floating IPs.
import { RouterNamespaceArgs, routerNamespaceSpec, RouterNamespaceSpec } from "../schema/router";
import { documented } from "../schema/documented";
import { readNamespaceTenants } from "../compile/router";
import { interfaceProblem, LiveBridges } from "../live/bridge";
import { LiveRouter, parseHostLinks, parseNamespace, parseTenants } from "../live/router";
import { LiveTable, parseIptablesSave } from "../live/iptables";
import { Op } from "../shell";
import { allPorts, planRouter } from "../plan/router";
import { planRouterDelete } from "../plan/router/delete";
import { observeRouter } from "../plan/router/observe";
import { KindDefinition, vlanOf } from "./kind";
import { query, reading } from "./reading";
import { readNamespace, readOwnPorts } from "./shared";

/** The router from its read: the host's links and the namespace (one command), and every OVS port. */
function routerOf(spec: RouterNamespaceSpec, stdout: string, ovs: LiveBridges, natKept?: LiveTable): LiveRouter {
  return { namespace: parseNamespace(spec.name, stdout, natKept), hostLinks: parseHostLinks(stdout), ovs };
}

// The host's links and the namespace's whole state (its nat table kept from `natKept` when
// given, not read), and the OVS ports we own or name (ours may be on any bridge); each
// shared host-wide when it can be (shared.ts).
const readLive = (spec: RouterNamespaceSpec, owner: string, natKept?: LiveTable) =>
  readNamespace(
    spec.name,
    Object.keys(spec.sysctls),
    (stdout) => readOwnPorts(owner, spec.interfaces.map((i) => i.name), (ovs) => routerOf(spec, stdout, ovs, natKept)),
    natKept === undefined,
  );

/** Whether an op may change a namespace's nat table: iptables, or a namespace deleted (and made anew). */
const touchesNat = (op: Op) =>
  op.argv.some((word) => word.startsWith("iptables")) || /\bnetns del/.test(`${op.argv.join(" ")}\n${op.stdin ?? ""}`);

/** The nat table of a namespace made by this apply, as iptables-save prints it there. */
const NO_NAT = parseIptablesSave(
  "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n",
  "nat",
);

export const routerNamespaceKind: KindDefinition<RouterNamespaceSpec, LiveRouter, "routerNamespace"> = {
  key: "routerNamespace",
  title: "RouterNamespace",
  order: 2,
  schema: documented<RouterNamespaceArgs>()(routerNamespaceSpec),
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  read: readLive,
  // Before a delete, also what else lives in the namespace: anything not ours keeps it.
  readForDelete: (spec, owner) =>
    readNamespace(spec.name, Object.keys(spec.sysctls), (stdout) =>
      readOwnPorts(owner, spec.interfaces.map((i) => i.name), (ovs) => {
        const live = routerOf(spec, stdout, ovs);
        if (!live.namespace) return live;
        const namespace = live.namespace;
        return reading([query(readNamespaceTenants(spec.name), parseTenants, `netns:${spec.name}`)], (tenants) => ({
          ...live,
          namespace: { ...namespace, ...(tenants ? { tenants } : {}) },
        }));
      }),
    ),
  // After writes that left NAT alone (a VM's namespace has none), the nat table is as the
  // plan's read saw it: one iptables-save fewer per router create.
  readAfter: (spec, owner, ops, before) =>
    ops.some(touchesNat) ? readLive(spec, owner) : readLive(spec, owner, before.namespace?.nat ?? NO_NAT),
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
