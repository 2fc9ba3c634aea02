// The router the planner tests share: the captured host (tests/fixtures/router) and the spec it was built from.
import { readFileSync } from "fs";
import { join } from "path";
import { formatCommand, Op } from "../../../../core/shell";
import { routerNamespaceSpec, RouterNamespaceSpec } from "../../../../core/schema/router";
import { parseBridges } from "../../../../core/live/bridge";
import { LiveRouter, parseNamespace } from "../../../../core/live/router";
export const OWNER = "t/s/r1";
export const fixture = (name: string) => readFileSync(join(__dirname, "../../../fixtures/router", name), "utf8");

/** What the captured router (tests/fixtures/router/read-router.txt) was built from. */
export const desired: RouterNamespaceSpec = routerNamespaceSpec.parse({
  name: "qrouter-1",
  interfaces: [
    { name: "qr-a", bridge: "br-int", tag: 5, addresses: ["10.0.0.1/24", "fd00::1/64"], mtu: 1450 },
    { name: "qg-b", bridge: "br-ex", addresses: ["172.24.4.2/24", "2001:db8::2/64"], mac: "fa:16:3e:00:00:02" },
  ],
  routes: [
    { destination: "default", via: "172.24.4.1", device: "qg-b" },
    { destination: "default", via: "2001:db8::1" },
    { destination: "10.2.0.0/16", via: "10.0.0.254" },
  ],
  snat: [{ interface: "qg-b", sources: ["10.0.0.0/24"] }],
  floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" }],
});

/** The captured host, less the blackhole route added there by hand: exactly `desired`. */
export function converged(): LiveRouter {
  const namespace = parseNamespace("qrouter-1", fixture("read-router.txt"))!;
  namespace.routes = namespace.routes.filter((r) => r.type !== "blackhole");
  return { namespace, ovs: parseBridges(fixture("vsctl-router.json")) };
}

/** Only the bridges, no router at all. */
export function empty(): LiveRouter {
  const ovs = parseBridges(fixture("vsctl-router.json"));
  for (const b of ovs.bridges) b.ports = b.ports.filter((p) => !p.name.startsWith("q"));
  return { ovs };
}

export const script = (ops: Op[]) => ops.map(formatCommand);
export const link = (live: LiveRouter, name: string) => live.namespace!.links.find((l) => l.name === name)!;
