// A small declared lab, built through the real schemas (defaults applied as in a program).
import { bridgeSpec } from "../../../core/schema/bridge";
import { patchPairSpec } from "../../../core/schema/patchPair";
import { flowRuleSpec, flowTableSpec } from "../../../core/schema/flow";
import { routerNamespaceSpec } from "../../../core/schema/router";
import { DeclaredLab } from "../../../core/graph/declared";

export function smallLab(): DeclaredLab {
  return {
    bridge: [
      bridgeSpec.parse({
        name: "br-int",
        failMode: "secure",
        datapathType: "netdev",
        ports: [{ name: "vm1", type: "internal", tag: 101 }],
      }),
      bridgeSpec.parse({ name: "br-ex", datapathType: "netdev" }),
    ],
    patchPair: [
      patchPairSpec.parse({ a: { bridge: "br-int", port: "int-br-ex" }, b: { bridge: "br-ex", port: "phy-br-ex" } }),
    ],
    routerNamespace: [
      routerNamespaceSpec.parse({
        name: "qrouter-1",
        interfaces: [
          { name: "qr-a", bridge: "br-int", tag: 101, addresses: ["10.0.0.1/24"] },
          { name: "qg-b", bridge: "br-ex", addresses: ["172.24.4.2/24"] },
        ],
        routes: [{ destination: "default", via: "172.24.4.1" }],
        snat: [{ interface: "qg-b", sources: ["10.0.0.0/24"] }],
        floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5" }],
      }),
    ],
    flowRule: [
      flowRuleSpec.parse({
        bridge: "br-ex",
        priority: 4,
        match: "in_port=phy-br-ex,dl_vlan=1",
        actions: "strip_vlan,NORMAL",
      }),
    ],
    flowTable: [
      flowTableSpec.parse({
        bridge: "br-ex",
        flows: [
          { priority: 1, actions: "NORMAL" },
          { table: 1, priority: 9, actions: "drop" },
        ],
      }),
    ],
  };
}
