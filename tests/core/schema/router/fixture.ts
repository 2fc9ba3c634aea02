// The routers the schema tests share: the seed article's, and a gateway on a trunk port.
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { formatProblem, validate } from "../../../../core/validation";
/** The seed article's router: qr- on br-int (tag 5), qg- on br-ex, SNAT and one floating IP. */
export const seedRouter = {
  name: "qrouter-8f3c2a1e-4b5d-4c6e-9f70-1a2b3c4d5e6f",
  interfaces: [
    { name: "qr-1a2b3c4d-5e", bridge: "br-int", tag: 5, addresses: ["10.0.0.1/24"] },
    { name: "qg-6f7a8b9c-0d", bridge: "br-ex", addresses: ["172.24.4.2/24"] },
  ],
  routes: [{ destination: "default", via: "172.24.4.1" }],
  snat: [{ interface: "qg-6f7a8b9c-0d", sources: ["10.0.0.0/24"] }],
  floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" }],
};

export function problems(input: unknown): string[] {
  const result = validate(routerNamespaceSpec, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

export const withChange = (change: Record<string, unknown>) => ({ ...seedRouter, ...change });
export const qr = seedRouter.interfaces[0];
export const qg = seedRouter.interfaces[1];

/** A gateway on one trunk port: Linux VLAN devices gw.10 and gw.20 hold the addresses. */
export const trunk = {
  name: "gw", bridge: "br-core", trunks: [20, 10],
  vlans: [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.20.1/24"] }],
};
export const vlanRouter = { name: "vlan-gw", interfaces: [trunk] };
export const withTrunk = (change: Record<string, unknown>, router: Record<string, unknown> = vlanRouter) => ({
  ...router,
  interfaces: [{ ...trunk, ...change }],
});
