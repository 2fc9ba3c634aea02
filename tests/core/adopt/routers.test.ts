import { strict as assert } from "node:assert";
import { declareRouters, placeDevices, readNat } from "../../../core/adopt/routers";
import { LiveLink } from "../../../core/live/ip";
import { parseIptablesSave } from "../../../core/live/iptables";
import { handBuilt } from "./fixtures";

const ROUTER = "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7";
const link = (name: string, cidrs: string[]): LiveLink => ({
  name,
  up: true,
  mtu: 1500,
  mac: "02:00:00:00:00:01",
  addresses: cidrs.map((cidr) => ({ cidr, family: 4, scope: "global" })),
});
const nat = (rules: string) =>
  parseIptablesSave(
    `*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rules}\nCOMMIT\n`,
    "nat",
  );
const gateway = [link("qg-1", ["172.24.4.2/24", "172.24.4.10/32"]), link("qr-1", ["10.0.0.1/24"])];

describe("readNat", () => {
  it("reads a floating IP from its DNAT in PREROUTING and OUTPUT, its SNAT back and its address", () => {
    const read = readNat(
      "r",
      nat(
        [
          "-A PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5",
          "-A OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5",
          "-A POSTROUTING -s 10.0.0.5/32 -o qg-1 -j SNAT --to-source 172.24.4.10",
          "-A POSTROUTING -s 10.0.0.0/24 -o qg-1 -j SNAT --to-source 172.24.4.2",
          "-A POSTROUTING -s 10.0.1.0/24 -o qg-1 -j SNAT --to-source 172.24.4.2",
        ].join("\n"),
      ),
      gateway,
    );
    assert.deepEqual(read.floatingIps, [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5" }]);
    assert.deepEqual(read.held, [{ iface: "qg-1", cidr: "172.24.4.10/32" }]);
    assert.deepEqual(read.snat, [
      { interface: "qg-1", sources: ["10.0.0.0/24", "10.0.1.0/24"], toSource: "172.24.4.2" },
    ]);
    assert.deepEqual(read.leftAlone, []);
  });

  it("reads ovslab's own chains through their jumps, and lists another agent's chains and rules of other shapes", () => {
    const read = readNat(
      "r",
      nat(
        [
          ":ovslab-POSTROUTING - [0:0]",
          ":neutron-l3-agent-snat - [0:0]",
          "-A POSTROUTING -j neutron-l3-agent-snat",
          "-A POSTROUTING -j ovslab-POSTROUTING",
          "-A POSTROUTING -o qg-1 -j MASQUERADE",
          "-A PREROUTING -d 172.24.4.11/32 -j DNAT --to-destination 10.0.0.6",
          "-A ovslab-POSTROUTING -o qg-1 -j SNAT --to-source 172.24.4.2",
          "-A neutron-l3-agent-snat -o qg-1 -j SNAT --to-source 172.24.4.2 --random-fully",
        ].join("\n"),
      ),
      gateway,
    );
    assert.deepEqual(read.snat, [{ interface: "qg-1", sources: ["0.0.0.0/0"], toSource: "172.24.4.2" }]);
    assert.deepEqual(read.floatingIps, []);
    assert.deepEqual(read.leftAlone, [
      "nat chain neutron-l3-agent-snat in r (1 rule(s), jumped to): another agent writes it",
      "nat rule -A PREROUTING -d 172.24.4.11/32 -j DNAT --to-destination 10.0.0.6 in r: not a shape RouterNamespace states",
      "nat rule -A POSTROUTING -o qg-1 -j MASQUERADE in r: not a shape RouterNamespace states",
    ]);
  });

  it("states a floating IP's interface only when its subnet's interface is not the one that holds it", () => {
    const links = [link("qg-1", ["172.24.4.2/24"]), link("qg-2", ["192.0.2.2/24", "172.24.4.10/32"])];
    const read = readNat(
      "r",
      nat(
        [
          "-A PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5",
          "-A OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.5",
          "-A POSTROUTING -s 10.0.0.5/32 -o qg-2 -j SNAT --to-source 172.24.4.10",
        ].join("\n"),
      ),
      links,
    );
    assert.deepEqual(read.floatingIps, [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5", interface: "qg-2" }]);
  });
});

describe("placeDevices", () => {
  it("gives each OVS port whose device is in a selected namespace to its router, the rest to no one", () => {
    const { host } = handBuilt();
    const { claimed, elsewhere } = placeDevices(host, { bridges: [], netns: ["qrouter-*", "vm-j*"], cookies: [] });
    assert.deepEqual([...claimed].sort(), ["jack", "jill", "qg-0c4c9d04-f0", "qr-7d2a9c1e-5b", "qr-da3efe6d-a2"]);
    assert.deepEqual([...elsewhere].sort(), [
      ["bar", "vm-bar"],
      ["foo", "vm-foo"],
      ["upstream", "vm-upstream"],
    ]);
  });
});

describe("declareRouters", () => {
  it("states the router's interfaces bridge by bridge, its route, SNAT and floating IP, and no default sysctl", () => {
    const { host } = handBuilt();
    const { routers } = declareRouters(
      host,
      { bridges: [], netns: ["qrouter-*"], cookies: [] },
      new Set(["br-int", "br-ex"]),
    );
    assert.deepEqual(
      routers.map((r) => [r.name, r.adopt, r.args]),
      [
        [
          ROUTER,
          true,
          {
            name: ROUTER,
            interfaces: [
              { name: "qr-da3efe6d-a2", bridge: "br-int", tag: 2, addresses: ["10.0.0.1/24"], mtu: 1450 },
              { name: "qr-7d2a9c1e-5b", bridge: "br-int", tag: 3, addresses: ["10.0.1.1/24"] },
              { name: "qg-0c4c9d04-f0", bridge: "br-ex", addresses: ["172.24.4.2/24"] },
            ],
            routes: [{ destination: "default", via: "172.24.4.1" }],
            snat: [{ interface: "qg-0c4c9d04-f0", sources: ["10.0.0.0/24", "10.0.1.0/24"] }],
            floatingIps: [{ floatingIp: "172.24.4.10", fixedIp: "10.0.0.5" }],
          },
        ],
      ],
    );
  });

  it("lists a device of a bridge that is not adopted instead of declaring it", () => {
    const { host } = handBuilt();
    const out = declareRouters(host, { bridges: [], netns: ["vm-upstream"], cookies: [] }, new Set(["br-int"]));
    assert.deepEqual(out.routers[0].args.interfaces, []);
    assert.deepEqual(out.leftAlone, ["device upstream in vm-upstream: a port of bridge br-ex, which is not adopted"]);
  });
});
