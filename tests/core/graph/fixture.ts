// A small declared lab, built through the real schemas (defaults applied as in a program).
import { bridgeSpec } from "../../../core/schema/bridge";
import { patchPairSpec } from "../../../core/schema/patchPair";
import { flowRuleSpec, flowTableSpec } from "../../../core/schema/flow";
import { routerNamespaceSpec } from "../../../core/schema/router";
import { tunnelPortSpec } from "../../../core/schema/tunnelPort";
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
    tunnelPort: [],
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

const HOSTS = { a: "root@node-a:22", b: "root@node-b:22" } as const;

/**
 * Two hosts, each with the same-named br-int (a port on VLAN 1) and br-tun, a VXLAN port
 * facing the other's (10.250.0.1 ⇄ 10.250.0.2, key=flow) and a FlowTable mapping VNI 100
 * to VLAN 1; node-a also has a tunnel port to an address no host of the lab has.
 */
export function twoHostLab(): DeclaredLab {
  const at = (host: keyof typeof HOSTS, name: string) => ({ host: HOSTS[host], name });
  const tunnel = (localIp: string, remoteIp: string, name: string) =>
    tunnelPortSpec.parse({ bridge: "br-tun", name, remoteIp, localIp });
  const brInt = (vm: string) => bridgeSpec.parse({ name: "br-int", ports: [{ name: vm, type: "internal", tag: 1 }] });
  const flows = () =>
    flowTableSpec.parse({
      bridge: "br-tun",
      flows: [
        { table: 4, priority: 1, match: "tun_id=100", actions: "mod_vlan_vid:1,resubmit(,10)" },
        { table: 22, priority: 1, match: "dl_vlan=1", actions: "strip_vlan,set_tunnel:100,output:vx-a" },
      ],
    });
  return {
    bridge: [brInt("vm-a"), bridgeSpec.parse({ name: "br-tun" }), brInt("vm-b"), bridgeSpec.parse({ name: "br-tun" })],
    patchPair: [],
    routerNamespace: [],
    flowRule: [],
    tunnelPort: [
      tunnel("10.250.0.1", "10.250.0.2", "vx-b"),
      tunnel("10.250.0.1", "10.250.0.9", "vx-far"),
      tunnel("10.250.0.2", "10.250.0.1", "vx-a"),
    ],
    flowTable: [flows(), flows()],
    placements: {
      bridge: [at("a", "a-br-int"), at("a", "a-br-tun"), at("b", "b-br-int"), at("b", "b-br-tun")],
      tunnelPort: [at("a", "a-to-b"), at("a", "a-to-far"), at("b", "b-to-a")],
      flowTable: [at("a", "a-flows"), at("b", "b-flows")],
    },
  };
}
