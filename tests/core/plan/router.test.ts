import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { formatCommand, formatStep, Op } from "../../../core/shell";
import { routerNamespaceSpec, RouterNamespaceSpec } from "../../../core/schema/router";
import { parseBridges } from "../../../core/live/bridge";
import { LiveRouter, parseNamespace } from "../../../core/live/router";
import { planRouter, planRouterDelete } from "../../../core/plan/router";
import { observeRouter } from "../../../core/plan/routerObserve";
import { MissingBridgeError, OwnershipConflict } from "../../../core/plan/errors";

const OWNER = "t/s/r1";
const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/router", name), "utf8");

/** What the captured router (tests/fixtures/router/read-router.txt) was built from. */
const desired: RouterNamespaceSpec = routerNamespaceSpec.parse({
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
function converged(): LiveRouter {
  const namespace = parseNamespace("qrouter-1", fixture("read-router.txt"))!;
  namespace.routes = namespace.routes.filter((r) => r.type !== "blackhole");
  return { namespace, ovs: parseBridges(fixture("vsctl-router.json")) };
}

/** Only the bridges, no router at all. */
function empty(): LiveRouter {
  const ovs = parseBridges(fixture("vsctl-router.json"));
  for (const b of ovs.bridges) b.ports = b.ports.filter((p) => !p.name.startsWith("q"));
  return { ovs };
}

const script = (ops: Op[]) => ops.map(formatCommand);
const link = (live: LiveRouter, name: string) => live.namespace!.links.find((l) => l.name === name)!;

describe("planRouter", () => {
  it("refuses an interface on a bridge the host does not have, naming it", () => {
    const live = empty();
    live.ovs.bridges = live.ovs.bridges.filter((b) => b.name !== "br-ex");
    assert.throws(() => planRouter(desired, live, OWNER), (e: unknown) => e instanceof MissingBridgeError && /bridge br-ex of interface qg-b does not exist/.test(e.message));
  });

  it("builds a router from nothing: namespace, one OVS transaction, moves, sysctls, one ip batch, one iptables-restore", () => {
    assert.deepEqual(script(planRouter(desired, empty(), OWNER)), [
      "ip netns add qrouter-1",
      "ip -n qrouter-1 link set dev lo up alias t/s/r1",
      "ovs-vsctl --may-exist add-port br-int qr-a -- set Port qr-a tag=5 external_ids:ovslab-owner=t/s/r1 -- set Interface qr-a type=internal" +
        " -- --may-exist add-port br-ex qg-b -- set Port qg-b external_ids:ovslab-owner=t/s/r1 -- set Interface qg-b type=internal",
      "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF",
      "ip netns exec qrouter-1 sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.promote_secondaries=1 net.ipv4.conf.all.arp_ignore=1" +
        " net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.arp_notify=1 net.ipv6.conf.all.forwarding=1",
      [
        "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'",
        "link set dev qr-a mtu 1450",
        "address replace 10.0.0.1/24 dev qr-a",
        "address replace fd00::1/64 dev qr-a",
        "link set dev qr-a up",
        "link set dev qg-b address fa:16:3e:00:00:02",
        "address replace 172.24.4.2/24 dev qg-b",
        "address replace 2001:db8::2/64 dev qg-b",
        "address replace 172.24.4.10/32 dev qg-b",
        "link set dev qg-b up",
        "route replace default via 172.24.4.1 dev qg-b",
        "route replace ::/0 via 2001:db8::1",
        "route replace 10.2.0.0/16 via 10.0.0.254",
        "OVSLAB_EOF",
      ].join("\n"),
      [
        "ip netns exec qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'",
        "*nat",
        ":ovslab-PREROUTING - [0:0]",
        ":ovslab-OUTPUT - [0:0]",
        ":ovslab-POSTROUTING - [0:0]",
        "-I PREROUTING 1 -j ovslab-PREROUTING",
        "-I OUTPUT 1 -j ovslab-OUTPUT",
        "-I POSTROUTING 1 -j ovslab-POSTROUTING",
        "-A ovslab-PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
        "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
        "-A ovslab-POSTROUTING -s 10.0.0.6/32 -o qg-b -j SNAT --to-source 172.24.4.10",
        "-A ovslab-POSTROUTING -s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
        "COMMIT",
        "OVSLAB_EOF",
      ].join("\n"),
    ]);
  });

  it("plans nothing when the host already matches (applying twice changes nothing)", () => {
    assert.deepEqual(planRouter(desired, converged(), OWNER), []);
  });

  it("removes a route nobody declared (the namespace is ours), and only that", () => {
    const live = converged();
    live.namespace!.routes = parseNamespace("qrouter-1", fixture("read-router.txt"))!.routes;
    assert.deepEqual(script(planRouter(desired, live, OWNER)), ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute del blackhole 10.9.0.0/16\nOVSLAB_EOF"]);
  });

  // Drift made by hand, one row per thing that can drift, and the repair planned for it.
  const drift: Array<[string, (live: LiveRouter) => void, string[]]> = [
    ["an address removed", (l) => { link(l, "qr-a").addresses.splice(0, 1); },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress replace 10.0.0.1/24 dev qr-a\nOVSLAB_EOF"]],
    ["an address added", (l) => { link(l, "qr-a").addresses.push({ cidr: "10.0.0.99/24", family: 4, scope: "global" }); },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress del 10.0.0.99/24 dev qr-a\nOVSLAB_EOF"]],
    ["the floating IP's address removed", (l) => { link(l, "qg-b").addresses.splice(1, 1); },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress replace 172.24.4.10/32 dev qg-b\nOVSLAB_EOF"]],
    ["the default route deleted", (l) => { l.namespace!.routes = l.namespace!.routes.filter((r) => !(r.family === 4 && r.destination === "default")); },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute replace default via 172.24.4.1 dev qg-b\nOVSLAB_EOF"]],
    ["the default route pointed elsewhere", (l) => { l.namespace!.routes[0].via = "172.24.4.254"; },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute replace default via 172.24.4.1 dev qg-b\nOVSLAB_EOF"]],
    ["a device set down", (l) => { link(l, "qg-b").up = false; }, ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev qg-b up\nOVSLAB_EOF"]],
    ["lo set down", (l) => { link(l, "lo").up = false; }, ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev lo up\nOVSLAB_EOF"]],
    ["the MTU and MAC changed", (l) => { link(l, "qr-a").mtu = 1500; link(l, "qg-b").mac = "fa:16:3e:99:99:99"; },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev qr-a mtu 1450\nlink set dev qg-b address fa:16:3e:00:00:02\nOVSLAB_EOF"]],
    ["forwarding turned off", (l) => { l.namespace!.sysctls["net.ipv4.ip_forward"] = "0"; },
      ["ip netns exec qrouter-1 sysctl -q -w net.ipv4.ip_forward=1"]],
    ["the VLAN tag changed", (l) => { l.ovs.bridges.find((b) => b.name === "br-int")!.ports.find((p) => p.name === "qr-a")!.tag = 7; },
      ["ovs-vsctl set Port qr-a tag=5"]],
  ];
  for (const [what, change, expected] of drift) {
    it(`repairs ${what}`, () => {
      const live = converged();
      change(live);
      assert.deepEqual(script(planRouter(desired, live, OWNER)), expected);
    });
  }

  it("rewrites our NAT chains atomically when the SNAT rule is flushed, naming no other chain", () => {
    const live = converged();
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter((r) => r.chain !== "ovslab-POSTROUTING");
    const [op, ...rest] = planRouter(desired, live, OWNER);
    assert.equal(rest.length, 0);
    assert.deepEqual(op.argv, ["ip", "netns", "exec", "qrouter-1", "iptables-restore", "--noflush", "-w"]);
    assert.deepEqual(op.stdin!.split("\n"), [
      "*nat",
      ":ovslab-PREROUTING - [0:0]",
      ":ovslab-OUTPUT - [0:0]",
      ":ovslab-POSTROUTING - [0:0]",
      "-A ovslab-PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
      "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
      "-A ovslab-POSTROUTING -s 10.0.0.6/32 -o qg-b -j SNAT --to-source 172.24.4.10",
      "-A ovslab-POSTROUTING -s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
      "COMMIT",
      "",
    ]);
    assert.ok(!op.stdin!.includes("hand-made"), "the hand-made chain and its jump are not named, so --noflush keeps them");
  });

  it("restores a lost jump and removes a doubled one", () => {
    const live = converged();
    const nat = live.namespace!.nat;
    nat.rules = nat.rules.filter((r) => !(r.chain === "OUTPUT" && r.spec === "-j ovslab-OUTPUT"));
    nat.rules.push({ chain: "PREROUTING", spec: "-j ovslab-PREROUTING" });
    const stdin = planRouter(desired, live, OWNER)[0].stdin!;
    assert.ok(stdin.includes("-I OUTPUT 1 -j ovslab-OUTPUT\n"));
    assert.ok(stdin.includes("-D PREROUTING -j ovslab-PREROUTING\n"));
    assert.ok(!stdin.includes("POSTROUTING 1"));
  });

  it("re-adds a qr- port deleted from br-int: port, move, link, addresses and its routes", () => {
    const live = converged();
    const brInt = live.ovs.bridges.find((b) => b.name === "br-int")!;
    brInt.ports = brInt.ports.filter((p) => p.name !== "qr-a");
    // OVS destroys the device with the port; the kernel drops the routes through it.
    const ns = live.namespace!;
    ns.links = ns.links.filter((l) => l.name !== "qr-a");
    ns.routes = ns.routes.filter((r) => r.device !== "qr-a");
    assert.deepEqual(script(planRouter(desired, live, OWNER)), [
      "ovs-vsctl --may-exist add-port br-int qr-a -- set Port qr-a tag=5 external_ids:ovslab-owner=t/s/r1 -- set Interface qr-a type=internal",
      "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nOVSLAB_EOF",
      "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev qr-a mtu 1450\naddress replace 10.0.0.1/24 dev qr-a\naddress replace fd00::1/64 dev qr-a\n" +
        "link set dev qr-a up\nroute replace 10.2.0.0/16 via 10.0.0.254\nOVSLAB_EOF",
    ]);
  });

  it("moves an interface to another bridge in one transaction, and rebuilds the new device", () => {
    const moved = routerNamespaceSpec.parse({ ...desired, interfaces: [{ ...desired.interfaces[0], bridge: "br-ex" }, desired.interfaces[1]] });
    const ops = script(planRouter(moved, converged(), OWNER));
    assert.equal(ops[0], "ovs-vsctl --if-exists del-port br-int qr-a -- --may-exist add-port br-ex qr-a -- set Port qr-a tag=5 external_ids:ovslab-owner=t/s/r1 -- set Interface qr-a type=internal");
    assert.equal(ops[1], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nOVSLAB_EOF");
    // The old device's routes vanish with it: replaced, never deleted by hand.
    assert.ok(ops[2].includes("route replace 10.2.0.0/16 via 10.0.0.254") && !ops[2].includes("route del"), ops[2]);
  });

  it("deletes a port dropped from the spec and leaves the routes through it to vanish with it", () => {
    const fewer = routerNamespaceSpec.parse({ ...desired, interfaces: [desired.interfaces[1]], routes: [desired.routes[0]], floatingIps: [], snat: [] });
    const ops = script(planRouter(fewer, converged(), OWNER));
    assert.equal(ops[0], "ovs-vsctl --if-exists del-port br-int qr-a");
    assert.ok(ops[1].includes("route del ::/0 via 2001:db8::1 dev qg-b metric 1024"), ops[1]);
    assert.ok(!ops[1].includes("10.2.0.0/16"), "the route through qr-a goes with the device");
  });

  it("changes an IPv6 prefix by deleting first (one entry per IPv6 address), IPv4 by adding first", () => {
    const changed = routerNamespaceSpec.parse({
      ...desired,
      interfaces: [{ ...desired.interfaces[0], addresses: ["10.0.0.1/16", "fd00::1/80"] }, desired.interfaces[1]],
    });
    const batch = planRouter(changed, converged(), OWNER)[0].stdin!.trim().split("\n");
    assert.deepEqual(batch, ["address del fd00::1/64 dev qr-a", "address replace 10.0.0.1/16 dev qr-a", "address replace fd00::1/80 dev qr-a", "address del 10.0.0.1/24 dev qr-a"]);
  });

  it("refuses a namespace someone else marked, or an unmarked one holding things", () => {
    const foreign = converged();
    link(foreign, "lo").alias = "other/stack/r9";
    assert.throws(() => planRouter(desired, foreign, OWNER), (e: Error) => e instanceof OwnershipConflict && /namespace qrouter-1 .* not owned by t\/s\/r1 .*"other\/stack\/r9"/.test(e.message));
    const unmarked = converged();
    delete link(unmarked, "lo").alias;
    assert.throws(() => planRouter(desired, unmarked, OWNER), /lo alias, ovslab's mark, is <unset>/);
  });

  it("adopts a bare unmarked namespace (an apply cut after `ip netns add`)", () => {
    const live = empty();
    live.namespace = parseNamespace("qrouter-1", fixture("read-fresh.txt"));
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ip -n qrouter-1 link set dev lo up alias t/s/r1");
    assert.ok(!ops.some((o) => o.startsWith("ip netns add")));
  });

  it("plans nothing when the host's own namespace holds none of our devices (they are all inside)", () => {
    const live = { ...converged(), hostLinks: ["lo", "br-int", "br-ex"] };
    assert.deepEqual(planRouter(desired, live, OWNER), []);
  });

  it("recreates the OVS ports of a namespace deleted by hand: del-port in a transaction of its own, then add-port, move, addresses", () => {
    // `ip netns delete` destroyed the devices; OVS still lists the ports, with an ofport.
    const live: LiveRouter = { ovs: converged().ovs, hostLinks: ["lo", "br-int", "br-ex"] };
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ip netns add qrouter-1");
    assert.equal(ops[2], "ovs-vsctl --if-exists del-port br-int qr-a -- --if-exists del-port br-ex qg-b");
    assert.match(ops[3], /^ovs-vsctl --may-exist add-port br-int qr-a .* -- --may-exist add-port br-ex qg-b /);
    assert.equal(ops[4], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF");
  });

  it("after an ovs-vswitchd restart, deletes the dead copy in the namespace and moves OVS's new device in", () => {
    // The new tap is in the host's namespace; the copy inside is up without carrier.
    const live = { ...converged(), hostLinks: ["lo", "br-int", "qr-a"] };
    link(live, "qr-a").noCarrier = true;
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink del dev qr-a\nOVSLAB_EOF");
    assert.equal(ops[1], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nOVSLAB_EOF");
    // The copy's routes went with it: re-added, never deleted by hand; the port itself stays.
    assert.ok(ops[2].includes("address replace 10.0.0.1/24 dev qr-a") && ops[2].includes("route replace 10.2.0.0/16 via 10.0.0.254"), ops[2]);
    assert.ok(!ops[2].includes("route del"), ops[2]);
    assert.ok(!ops.some((o) => o.includes("del-port")));
  });

  it("recreates a port whose only device is a dead copy in the namespace (up, no carrier, none outside)", () => {
    const live = { ...converged(), hostLinks: ["lo"] };
    link(live, "qg-b").noCarrier = true;
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ovs-vsctl --if-exists del-port br-ex qg-b");
    assert.match(ops[1], /^ovs-vsctl --may-exist add-port br-ex qg-b /);
    assert.equal(ops[2], "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink del dev qg-b\nOVSLAB_EOF");
    assert.equal(ops[3], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF");
  });

  it("refuses to take over a port someone else owns", () => {
    const live = empty();
    live.ovs.bridges.find((b) => b.name === "br-int")!.ports.push({ name: "qr-a", type: "internal", trunks: [], options: {}, externalIds: {} });
    assert.throws(() => planRouter(desired, live, OWNER), /port qr-a already exists on bridge br-int and is not owned by t\/s\/r1/);
  });
});

describe("planRouterDelete", () => {
  it("deletes our ports in one transaction, then the namespace with everything in it", () => {
    assert.deepEqual(script(planRouterDelete("qrouter-1", converged(), OWNER)), [
      "ovs-vsctl --if-exists del-port br-ex qg-b -- --if-exists del-port br-int qr-a",
      "ip netns delete qrouter-1",
    ]);
  });

  it("leaves a namespace that is not ours, and plans nothing when all is gone", () => {
    const foreign = converged();
    link(foreign, "lo").alias = "other/stack/r9";
    assert.deepEqual(script(planRouterDelete("qrouter-1", foreign, OWNER)), ["ovs-vsctl --if-exists del-port br-ex qg-b -- --if-exists del-port br-int qr-a"]);
    assert.deepEqual(planRouterDelete("qrouter-1", empty(), OWNER), []);
  });

  it("leaves an unmarked namespace, even an empty one", () => {
    const live = empty();
    live.namespace = parseNamespace("qrouter-1", fixture("read-fresh.txt"));
    assert.deepEqual(planRouterDelete("qrouter-1", live, OWNER), []);
  });
});

describe("observeRouter", () => {
  it("reads a converged router back exactly as declared", () => {
    assert.deepEqual(observeRouter(converged(), desired, OWNER), desired);
  });

  it("is undefined when the namespace is gone or not ours", () => {
    assert.equal(observeRouter(empty(), desired, OWNER), undefined);
    assert.equal(observeRouter(converged(), desired, "someone/else/r1"), undefined);
  });

  it("shows drift: a missing address, an extra route, a lost floating IP rule", () => {
    const live = converged();
    link(live, "qr-a").addresses.splice(0, 1);
    live.namespace!.routes.push({ family: 4, destination: "10.7.0.0/16", via: "10.0.0.254", device: "qr-a", protocol: "boot", type: "unicast", metric: 0 });
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter((r) => r.chain !== "ovslab-OUTPUT");
    const seen = observeRouter(live, desired, OWNER)!;
    assert.deepEqual(seen.interfaces[0].addresses, ["fd00::1/64"]);
    assert.deepEqual(seen.routes.at(-1), { destination: "10.7.0.0/16", via: "10.0.0.254", device: "qr-a" });
    assert.deepEqual(seen.floatingIps, []);
    // Its SNAT-back rule is still there, and shows as what it is.
    assert.deepEqual(seen.snat, [desired.snat[0], { interface: "qg-b", sources: ["10.0.0.6/32"], toSource: "172.24.4.10" }]);
  });
});

describe("planRouter with a trunk port and VLAN devices", () => {
  const VLAN_OWNER = "t/s/vlan-gw";
  const trunkSpec = (vlans = [{ id: 10, addresses: ["10.0.10.1/24"] }, { id: 20, addresses: ["10.0.20.1/24"] }]) =>
    routerNamespaceSpec.parse({ name: "vlan-gw", interfaces: [{ name: "gw", bridge: "br-core", trunks: [10, 20], vlans }] });
  const trunk = trunkSpec();

  /** tests/fixtures/router/read-vlan.txt: the trunk router of `trunk`, converged. */
  function built(): LiveRouter {
    return { namespace: parseNamespace("vlan-gw", fixture("read-vlan.txt"))!, ovs: parseBridges(fixture("vsctl-vlan.json")) };
  }
  function bare(): LiveRouter {
    const ovs = parseBridges(fixture("vsctl-vlan.json"));
    for (const b of ovs.bridges) b.ports = b.ports.filter((p) => p.name !== "gw");
    return { ovs };
  }
  const dropLink = (live: LiveRouter, name: string) => {
    live.namespace!.links = live.namespace!.links.filter((l) => l.name !== name);
    live.namespace!.routes = live.namespace!.routes.filter((r) => r.device !== name);
  };
  const batch = (...lines: string[]) => `ip -n vlan-gw -batch - <<'OVSLAB_EOF'\n${lines.join("\n")}\nOVSLAB_EOF`;

  it("builds it from nothing: a trunk port, then `ip link add ... type vlan` in the namespace, then addresses and links up", () => {
    const ops = planRouter(trunk, bare(), VLAN_OWNER);
    assert.deepEqual(script(ops).filter((o) => !o.startsWith("ip netns exec")), [
      "ip netns add vlan-gw",
      "ip -n vlan-gw link set dev lo up alias t/s/vlan-gw",
      "ovs-vsctl --may-exist add-port br-core gw -- set Port gw 'trunks=[10,20]' external_ids:ovslab-owner=t/s/vlan-gw -- set Interface gw type=internal",
      "ip -batch - <<'OVSLAB_EOF'\nlink set dev gw netns vlan-gw\nOVSLAB_EOF",
      batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20"),
      batch("link set dev gw up", "address replace 10.0.10.1/24 dev gw.10", "link set dev gw.10 up", "address replace 10.0.20.1/24 dev gw.20", "link set dev gw.20 up"),
    ]);
  });

  it("makes the VLAN step of a script skip itself when the devices exist (`ip link add` fails on a second run)", () => {
    const add = planRouter(trunk, bare(), VLAN_OWNER).find((op) => op.stdin?.includes("type vlan"))!;
    assert.equal(formatStep(add).split("\n")[0], `sh -c 'ns=$1; shift; for dev; do ip -n "$ns" link show dev "$dev" || exit; done' sh vlan-gw gw.10 gw.20 >/dev/null 2>&1 || ip -n vlan-gw -batch - <<'OVSLAB_EOF'`);
  });

  it("plans nothing when the host already matches", () => {
    assert.deepEqual(planRouter(trunk, built(), VLAN_OWNER), []);
  });

  const drift: Array<[string, (live: LiveRouter) => void, string[]]> = [
    ["a VLAN device deleted by hand", (l) => dropLink(l, "gw.20"),
      [batch("link add link gw name gw.20 type vlan id 20"), batch("address replace 10.0.20.1/24 dev gw.20", "link set dev gw.20 up")]],
    ["an address removed from a VLAN device", (l) => { link(l, "gw.10").addresses = []; }, [batch("address replace 10.0.10.1/24 dev gw.10")]],
    ["an address added to a VLAN device", (l) => { link(l, "gw.10").addresses.push({ cidr: "10.0.10.99/24", family: 4, scope: "global" }); },
      [batch("address del 10.0.10.99/24 dev gw.10")]],
    ["a VLAN device set down", (l) => { link(l, "gw.20").up = false; }, [batch("link set dev gw.20 up")]],
    ["a VLAN device made by hand", (l) => { l.namespace!.links.push({ ...link(l, "gw.10"), name: "gw.30", vlan: { id: 30, parent: "gw" }, addresses: [] }); },
      [batch("link del dev gw.30")]],
    ["a VLAN device of the right name with another id", (l) => { link(l, "gw.10").vlan = { id: 11, parent: "gw" }; },
      [batch("link del dev gw.10", "link add link gw name gw.10 type vlan id 10"), batch("address replace 10.0.10.1/24 dev gw.10", "link set dev gw.10 up")]],
    ["the trunk's VLANs changed", (l) => { l.ovs.bridges[0].ports.find((p) => p.name === "gw")!.trunks = [10]; }, ["ovs-vsctl set Port gw 'trunks=[10,20]'"]],
  ];
  for (const [what, change, expected] of drift) {
    it(`repairs ${what}`, () => {
      const live = built();
      change(live);
      assert.deepEqual(script(planRouter(trunk, live, VLAN_OWNER)), expected);
    });
  }

  it("deletes a VLAN dropped from the spec, and leaves its routes to go with it", () => {
    const ops = planRouter(trunkSpec([{ id: 10, addresses: ["10.0.10.1/24"] }]), built(), VLAN_OWNER);
    assert.deepEqual(script(ops), [batch("link del dev gw.20")]);
    assert.equal(ops[0].unless, undefined, "a batch that deletes is never skipped");
  });

  it("re-adds the VLAN devices of a trunk port deleted from OVS (the kernel took them with it), deleting none", () => {
    const live = built();
    live.ovs.bridges[0].ports = live.ovs.bridges[0].ports.filter((p) => p.name !== "gw");
    for (const name of ["gw", "gw.10", "gw.20"]) dropLink(live, name);
    const ops = script(planRouter(trunk, live, VLAN_OWNER));
    assert.equal(ops[2], batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20"));
    assert.ok(!ops.join("\n").includes("link del"), ops.join("\n"));
  });

  it("treats VLAN devices on a port OVS recreates as gone, without deleting them first", () => {
    const live = built();
    live.ovs.bridges[0].ports.find((p) => p.name === "gw")!.type = "system"; // a type change: OVS opens a new device
    const ops = script(planRouter(trunk, live, VLAN_OWNER));
    assert.ok(ops.includes(batch("link add link gw name gw.10 type vlan id 10", "link add link gw name gw.20 type vlan id 20")), ops.join("\n"));
    assert.ok(!ops.join("\n").includes("link del"));
  });

  it("reads a converged trunk router back exactly as declared, and shows a VLAN device deleted by hand as missing", () => {
    assert.deepEqual(observeRouter(built(), trunk, VLAN_OWNER), trunk);
    const live = built();
    dropLink(live, "gw.20");
    assert.deepEqual(observeRouter(live, trunk, VLAN_OWNER)!.interfaces[0].vlans, [{ id: 10, addresses: ["10.0.10.1/24"] }]);
  });

  it("deletes the namespace and the trunk port, and with them the VLAN devices", () => {
    assert.deepEqual(script(planRouterDelete("vlan-gw", built(), VLAN_OWNER)), ["ovs-vsctl --if-exists del-port br-core gw", "ip netns delete vlan-gw"]);
  });
});
