import { strict as assert } from "assert";
import { meshLayoutSpec, peersOf, tunnelBridgeFlows, tunnelPortName } from "../../../core/mesh/vxlan";
import { flowTableSpec } from "../../../core/schema/flow";
import { formatProblem, validate } from "../../../core/validation";

const mesh = (hosts: Record<string, string>) =>
  meshLayoutSpec.parse({
    hosts,
    networks: [
      { name: "a", vni: 100, vlan: 1, macs: [{ mac: "fa:16:3e:00:00:15", host: "compute-1" }] },
      { name: "b", vni: 200, vlan: 2 },
    ],
  });
const three = mesh({ network: "10.250.0.11", "compute-1": "10.250.0.12", "compute-2": "10.250.0.13" });
const lines = (flows: ReturnType<typeof tunnelBridgeFlows>) =>
  flows.map((f) => `t${f.table} p${f.priority} ${f.match ?? ""} -> ${f.actions}`);

describe("the VXLAN mesh layout", () => {
  it("names tunnel ports as Neutron does: vxlan- and the remote IPv4 address in hex", () => {
    assert.equal(tunnelPortName("10.250.0.12"), "vxlan-0afa000c");
    assert.equal(tunnelPortName("192.168.1.255"), "vxlan-c0a801ff");
    assert.throws(() => tunnelPortName("fd00::1"), /not an IPv4 address/);
  });

  it("lays out br-tun's tables after Neutron's: classify, unicast/flood, VNI to local VLAN, declared MACs", () => {
    assert.deepEqual(lines(tunnelBridgeFlows(three, "network")), [
      "t0 p1 in_port=patch-int -> resubmit(,2)",
      "t0 p1 in_port=vxlan-0afa000c -> resubmit(,4)",
      "t0 p1 in_port=vxlan-0afa000d -> resubmit(,4)",
      "t0 p0  -> drop",
      "t2 p0 dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 -> resubmit(,20)",
      "t2 p0 dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 -> resubmit(,22)",
      "t4 p1 tun_id=100 -> mod_vlan_vid:1,resubmit(,10)",
      "t4 p1 tun_id=200 -> mod_vlan_vid:2,resubmit(,10)",
      "t4 p0  -> drop",
      "t10 p1  -> output:patch-int",
      "t20 p2 dl_vlan=1,dl_dst=fa:16:3e:00:00:15 -> strip_vlan,set_tunnel:100,output:vxlan-0afa000c",
      "t20 p0  -> resubmit(,22)",
      "t22 p1 dl_vlan=1 -> strip_vlan,set_tunnel:100,output:vxlan-0afa000c,output:vxlan-0afa000d",
      "t22 p1 dl_vlan=2 -> strip_vlan,set_tunnel:200,output:vxlan-0afa000c,output:vxlan-0afa000d",
      "t22 p0  -> drop",
    ]);
    assert.ok(
      flowTableSpec.safeParse({ bridge: "br-tun", flows: tunnelBridgeFlows(three, "compute-2") }).success,
      "a valid FlowTable",
    );
  });

  it("does not send a host's own MACs into a tunnel, and floods nowhere with no peer", () => {
    assert.ok(!lines(tunnelBridgeFlows(three, "compute-1")).some((l) => l.includes("fa:16:3e:00:00:15")));
    const alone = lines(tunnelBridgeFlows(mesh({ network: "10.250.0.11", "compute-1": "10.250.0.12" }), "network"));
    assert.ok(alone.some((l) => l.startsWith("t22 p1")));
  });

  it("changes only the lines that concern a removed host on the hosts that stay", () => {
    const two = mesh({ network: "10.250.0.11", "compute-1": "10.250.0.12" });
    assert.deepEqual(peersOf(two, "network"), ["compute-1"]);
    const before = lines(tunnelBridgeFlows(three, "network"));
    const after = lines(tunnelBridgeFlows(two, "network"));
    const expected = before
      .filter((l) => !l.includes("in_port=vxlan-0afa000d"))
      .map((l) => l.replace(",output:vxlan-0afa000d", ""));
    assert.deepEqual(after, expected);
  });

  it("names each bad field and its rule", () => {
    const result = validate(meshLayoutSpec, {
      hosts: { network: "10.250.0.11", Compute: "10.250.0.11", c2: "fd00::1" },
      networks: [
        { name: "a", vni: 0, vlan: 4095 },
        { name: "a", vni: 5, vlan: 3, macs: [{ mac: "FA:16:3E:00:00:01", host: "nowhere" }] },
      ],
    });
    assert.deepEqual(result.ok ? [] : result.problems.map(formatProblem), [
      "hosts.c2: must be an IPv4 address",
      "networks[0].vni: must be 1-16777215",
      "networks[0].vlan: must be 1-4094 (0 and 4095 are not a local VLAN)",
      "networks[1].macs[0].mac: must be a MAC address in lowercase, e.g. fa:16:3e:00:00:01",
      "hosts.Compute: must be 1-31 lowercase letters, digits or dashes (a host name)",
      "hosts.network: shares underlay address 10.250.0.11 with another host",
      "networks[1].name: duplicates name a of another network",
      "networks[1].macs[0].host: names no host of the mesh (network, Compute, c2)",
    ]);
    const dup = validate(meshLayoutSpec, {
      hosts: { n: "10.250.0.11", c: "10.250.0.11", Compute: "10.250.0.14" },
      networks: [
        { name: "a", vni: 5, vlan: 3 },
        { name: "a", vni: 5, vlan: 4, macs: [{ mac: "fa:16:3e:00:00:01", host: "x" }] },
      ],
    });
    assert.deepEqual(dup.ok ? [] : dup.problems.map(formatProblem), [
      "hosts.Compute: must be 1-31 lowercase letters, digits or dashes (a host name)",
      "hosts.n: shares underlay address 10.250.0.11 with another host",
      "networks[1].name: duplicates name a of another network",
      "networks[1].vni: duplicates vni 5 of another network",
      "networks[1].macs[0].host: names no host of the mesh (n, c, Compute)",
    ]);
  });
});
