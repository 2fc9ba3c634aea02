import { strict as assert } from "node:assert";
import { declareOvs, portArgs } from "../../../core/adopt/ovs";
import { HostState } from "../../../core/adopt/model";
import { LiveBridge, LivePort } from "../../../core/live/bridge";
import { freshBridge } from "../../../core/plan/bridge";

const port = (name: string, more: Partial<LivePort> = {}): LivePort => ({
  name,
  type: "system",
  trunks: [],
  options: {},
  externalIds: {},
  ...more,
});
const bridge = (name: string, ports: LivePort[], more: Partial<LiveBridge> = {}): LiveBridge => ({
  ...freshBridge(name),
  ports,
  ...more,
});
const hostOf = (...bridges: LiveBridge[]): HostState => ({
  ovs: {
    bridges,
    portBridge: new Map(bridges.flatMap((b) => b.ports.map((p) => [p.name, b.name] as [string, string]))),
  },
  flows: {},
  namespaces: [],
  hostLinks: [],
});
const options = { bridges: [] as string[], netns: [], cookies: [] };
const patch = (name: string, peer: string, more: Partial<LivePort> = {}) =>
  port(name, { type: "patch", options: { peer }, ...more });

describe("portArgs", () => {
  it("states a port's VLAN fields, type, options and external ids, never ovslab's mark", () => {
    const p = port("eth1", {
      type: "internal",
      tag: 5,
      trunks: [20, 10],
      vlanMode: "native-untagged",
      options: { mtu_request: "9000" },
      externalIds: { "ovslab-owner": "a/b/Bridge/x", "iface-id": "1f" },
    });
    assert.deepEqual(portArgs(p), {
      name: "eth1",
      type: "internal",
      tag: 5,
      trunks: [10, 20],
      vlanMode: "native-untagged",
      options: { mtu_request: "9000" },
      externalIds: { "iface-id": "1f" },
    });
    assert.deepEqual(portArgs(port("eth0")), { name: "eth0" });
  });
});

describe("declareOvs", () => {
  it("makes a PatchPair of two patch ports naming each other, end a on the bridge listed first", () => {
    const host = hostOf(
      bridge("br-ex", [patch("phy-br-ex", "int-br-ex")]),
      bridge("br-int", [patch("int-br-ex", "phy-br-ex", { tag: 7 })]),
    );
    const out = declareOvs(host, { ...options, bridges: ["br-int", "br-ex"] }, new Set(), new Map());
    assert.deepEqual(
      out.patchPairs.map((p) => [p.name, p.args, p.adopt]),
      [
        [
          "int-br-ex",
          { a: { bridge: "br-int", port: "int-br-ex", tag: 7 }, b: { bridge: "br-ex", port: "phy-br-ex" } },
          true,
        ],
      ],
    );
    assert.deepEqual(
      out.bridges.map((b) => [b.name, b.args]),
      [
        ["br-int", { name: "br-int" }],
        ["br-ex", { name: "br-ex" }],
      ],
    );
  });

  it("keeps a patch port whose peer is on a bridge not adopted, or does not name it back, as the bridge's own port", () => {
    const host = hostOf(
      bridge("br-int", [patch("int-br-ex", "phy-br-ex"), patch("lonely", "nobody")]),
      bridge("br-ex", [patch("phy-br-ex", "int-br-ex")]),
    );
    const out = declareOvs(host, { ...options, bridges: ["br-int"] }, new Set(), new Map());
    assert.deepEqual(out.patchPairs, []);
    assert.deepEqual(
      out.bridges[0].args.ports?.map((p) => p.name),
      ["int-br-ex", "lonely"],
    );
  });

  it("makes a TunnelPort of a tunnel port it can state exactly, and leaves the others to their bridge", () => {
    const host = hostOf(
      bridge("br-tun", [
        port("vxlan-0a000002", {
          type: "vxlan",
          options: { remote_ip: "10.0.0.2", local_ip: "10.0.0.1", key: "flow", dst_port: "4790" },
        }),
        port("gre-1", { type: "gre", options: { remote_ip: "10.0.0.3", key: "42" } }),
        port("vxlan-nokey", { type: "vxlan", options: { remote_ip: "10.0.0.5" } }),
        port("vxlan-odd", { type: "vxlan", options: { remote_ip: "10.0.0.4", tos: "inherit" } }),
      ]),
    );
    const out = declareOvs(host, options, new Set(), new Map());
    assert.deepEqual(
      out.tunnelPorts.map((t) => t.args),
      [
        { bridge: "br-tun", name: "vxlan-0a000002", remoteIp: "10.0.0.2", localIp: "10.0.0.1", dstPort: 4790 },
        { bridge: "br-tun", name: "gre-1", type: "gre", remoteIp: "10.0.0.3", key: 42 },
      ],
    );
    // An option TunnelPort has no field for, or no key (OVS's 0, where TunnelPort would write one):
    // the bridge states them.
    assert.deepEqual(out.bridges[0].args.ports, [
      { name: "vxlan-nokey", type: "vxlan", options: { remote_ip: "10.0.0.5" } },
      { name: "vxlan-odd", type: "vxlan", options: { remote_ip: "10.0.0.4", tos: "inherit" } },
    ]);
  });

  it("leaves out the ports a router states, and lists those in a namespace not selected", () => {
    const host = hostOf(
      bridge("br-int", [port("qr-1", { type: "internal" }), port("tap9", { type: "internal" }), port("eth9")]),
    );
    const out = declareOvs(host, options, new Set(["qr-1"]), new Map([["tap9", "qdhcp-1"]]));
    assert.deepEqual(out.bridges[0].args.ports, [{ name: "eth9" }]);
    assert.deepEqual(out.leftAlone, [
      "port tap9 on br-int: its device is in namespace qdhcp-1, which was not selected",
    ]);
  });

  it("lists what another ovslab stack owns or keeps, declares --owner's stack's under its marks' names, no adopt", () => {
    const mark = (owner: string) => ({ "ovslab-owner": owner });
    const host = hostOf(
      bridge("br-a", [port("p1", { externalIds: mark("other/prod/Bridge/br-a") })], {
        externalIds: mark("lab/dev/Bridge/integration"),
        otherConfig: { "datapath-id": "1" },
      }),
      bridge("br-b", [], { externalIds: { ...mark("other/prod/Bridge/br-b"), team: "x" } }),
      bridge("br-c", [], { externalIds: { "ovslab-kept-by": "other/prod/Bridge/br-c" } }),
      bridge("br-d", [], { externalIds: { "ovslab-kept-by": "lab/dev/Bridge/br-d" } }),
    );
    const out = declareOvs(host, { ...options, owner: "lab/dev" }, new Set(), new Map());
    assert.deepEqual(
      out.bridges.map((b) => [b.name, b.adopt, b.args]),
      [
        ["integration", false, { name: "br-a", otherConfig: { "datapath-id": "1" } }],
        // Kept for this stack: it takes the bridge back on its next up, under the name it had.
        ["br-d", false, { name: "br-d" }],
      ],
    );
    assert.deepEqual(out.leftAlone, [
      "bridge br-b, its ports and flows: owned by other/prod/Bridge/br-b",
      "bridge br-c, its ports and flows: kept by other/prod/Bridge/br-c",
      "port p1 on br-a: owned by other/prod/Bridge/br-a",
    ]);
  });
});
