// planRouter over the whole router (delete has a file of its own); NAT, VLAN devices and observe have files of their own.
import { strict as assert } from "assert";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { planRouter } from "../../../../core/plan/router";
import { MissingBridgeError, OwnershipConflict } from "../../../../core/plan/errors";
import { LiveRouter, parseNamespace } from "../../../../core/live/router";
import { converged, desired, empty, fixture, link, OWNER, script } from "./fixture";

describe("planRouter", () => {
  it("refuses an interface on a bridge the host does not have, naming it", () => {
    const live = empty();
    live.ovs.bridges = live.ovs.bridges.filter((b) => b.name !== "br-ex");
    assert.throws(
      () => planRouter(desired, live, OWNER),
      (e: unknown) =>
        e instanceof MissingBridgeError && /bridge br-ex of interface qg-b does not exist/.test(e.message),
    );
  });

  it("builds a router from nothing: one OVS transaction, one host batch that makes the namespace and moves the devices in, sysctls, one namespace batch that marks it, one iptables-restore", () => {
    assert.deepEqual(script(planRouter(desired, empty(), OWNER)), [
      "ovs-vsctl --may-exist add-port br-int qr-a -- set Port qr-a tag=5 external_ids:ovslab-owner=t/s/r1 -- set Interface qr-a type=internal" +
        " -- --may-exist add-port br-ex qg-b -- set Port qg-b external_ids:ovslab-owner=t/s/r1 -- set Interface qg-b type=internal",
      "ip -batch - <<'OVSLAB_EOF'\nnetns add qrouter-1\nlink set dev qr-a netns qrouter-1\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF",
      "nsenter --net=/var/run/netns/qrouter-1 sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.promote_secondaries=1 net.ipv4.conf.all.arp_ignore=1" +
        " net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.arp_notify=1 net.ipv6.conf.all.forwarding=1",
      [
        "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'",
        "link set dev lo up alias t/s/r1",
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
        "nsenter --net=/var/run/netns/qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'",
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
    assert.deepEqual(script(planRouter(desired, live, OWNER)), [
      "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute del blackhole 10.9.0.0/16\nOVSLAB_EOF",
    ]);
  });

  // Drift made by hand, one row per thing that can drift, and the repair planned for it.
  const drift: Array<[string, (live: LiveRouter) => void, string[]]> = [
    [
      "an address removed",
      (l) => {
        link(l, "qr-a").addresses.splice(0, 1);
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress replace 10.0.0.1/24 dev qr-a\nOVSLAB_EOF"],
    ],
    [
      "an address added",
      (l) => {
        link(l, "qr-a").addresses.push({ cidr: "10.0.0.99/24", family: 4, scope: "global" });
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress del 10.0.0.99/24 dev qr-a\nOVSLAB_EOF"],
    ],
    [
      "the floating IP's address removed",
      (l) => {
        link(l, "qg-b").addresses.splice(1, 1);
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\naddress replace 172.24.4.10/32 dev qg-b\nOVSLAB_EOF"],
    ],
    [
      "the default route deleted",
      (l) => {
        l.namespace!.routes = l.namespace!.routes.filter((r) => !(r.family === 4 && r.destination === "default"));
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute replace default via 172.24.4.1 dev qg-b\nOVSLAB_EOF"],
    ],
    [
      "the default route pointed elsewhere",
      (l) => {
        l.namespace!.routes[0].via = "172.24.4.254";
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nroute replace default via 172.24.4.1 dev qg-b\nOVSLAB_EOF"],
    ],
    [
      "a device set down",
      (l) => {
        link(l, "qg-b").up = false;
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev qg-b up\nOVSLAB_EOF"],
    ],
    [
      "lo set down",
      (l) => {
        link(l, "lo").up = false;
      },
      ["ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev lo up\nOVSLAB_EOF"],
    ],
    [
      "the MTU and MAC changed",
      (l) => {
        link(l, "qr-a").mtu = 1500;
        link(l, "qg-b").mac = "fa:16:3e:99:99:99";
      },
      [
        "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev qr-a mtu 1450\nlink set dev qg-b address fa:16:3e:00:00:02\nOVSLAB_EOF",
      ],
    ],
    [
      "forwarding turned off",
      (l) => {
        l.namespace!.sysctls["net.ipv4.ip_forward"] = "0";
      },
      ["nsenter --net=/var/run/netns/qrouter-1 sysctl -q -w net.ipv4.ip_forward=1"],
    ],
    [
      "the VLAN tag changed",
      (l) => {
        l.ovs.bridges.find((b) => b.name === "br-int")!.ports.find((p) => p.name === "qr-a")!.tag = 7;
      },
      ["ovs-vsctl set Port qr-a tag=5"],
    ],
  ];
  for (const [what, change, expected] of drift) {
    it(`repairs ${what}`, () => {
      const live = converged();
      change(live);
      assert.deepEqual(script(planRouter(desired, live, OWNER)), expected);
    });
  }

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
    const moved = routerNamespaceSpec.parse({
      ...desired,
      interfaces: [{ ...desired.interfaces[0], bridge: "br-ex" }, desired.interfaces[1]],
    });
    const ops = script(planRouter(moved, converged(), OWNER));
    assert.equal(
      ops[0],
      "ovs-vsctl --if-exists del-port br-int qr-a -- --may-exist add-port br-ex qr-a -- set Port qr-a tag=5 external_ids:ovslab-owner=t/s/r1 -- set Interface qr-a type=internal",
    );
    assert.equal(ops[1], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nOVSLAB_EOF");
    // The old device's routes vanish with it: replaced, never deleted by hand.
    assert.ok(ops[2].includes("route replace 10.2.0.0/16 via 10.0.0.254") && !ops[2].includes("route del"), ops[2]);
  });

  it("deletes a port dropped from the spec and leaves the routes through it to vanish with it", () => {
    const fewer = routerNamespaceSpec.parse({
      ...desired,
      interfaces: [desired.interfaces[1]],
      routes: [desired.routes[0]],
      floatingIps: [],
      snat: [],
    });
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
    assert.deepEqual(batch, [
      "address del fd00::1/64 dev qr-a",
      "address replace 10.0.0.1/16 dev qr-a",
      "address replace fd00::1/80 dev qr-a",
      "address del 10.0.0.1/24 dev qr-a",
    ]);
  });

  it("refuses a namespace someone else marked, or an unmarked one holding things", () => {
    const foreign = converged();
    link(foreign, "lo").alias = "other/stack/r9";
    assert.throws(
      () => planRouter(desired, foreign, OWNER),
      (e: Error) =>
        e instanceof OwnershipConflict &&
        /namespace qrouter-1 .* not owned by t\/s\/r1 .*"other\/stack\/r9"/.test(e.message),
    );
    const unmarked = converged();
    delete link(unmarked, "lo").alias;
    assert.throws(() => planRouter(desired, unmarked, OWNER), /lo alias, ovslab's mark, is <unset>/);
  });

  it("adopts a bare unmarked namespace (an apply cut after `ip netns add`)", () => {
    const live = empty();
    live.namespace = parseNamespace("qrouter-1", fixture("read-fresh.txt"));
    const ops = script(planRouter(desired, live, OWNER));
    assert.match(ops[0], /^ovs-vsctl --may-exist add-port br-int qr-a /);
    assert.equal(
      ops[1],
      "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF",
    );
    assert.ok(!ops.some((o) => o.includes("netns add")));
    assert.ok(ops.some((o) => o.startsWith("ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev lo up alias t/s/r1\n")));
  });

  it("takes an unmarked namespace holding only this router's own devices (a create cut before its mark), not one holding another's", () => {
    const cut = converged();
    delete link(cut, "lo").alias;
    cut.namespace!.routes = [];
    cut.namespace!.nat.rules = [];
    const ops = script(planRouter(desired, cut, OWNER));
    assert.ok(!ops.some((o) => o.includes("netns add") || o.includes("netns qrouter-1\n")), ops.join("\n"));
    assert.match(ops.find((o) => o.startsWith("ip -n qrouter-1 -batch"))!, /^ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink set dev lo up alias t\/s\/r1\n/);

    const crowded = converged();
    delete link(crowded, "lo").alias;
    crowded.namespace!.routes = [];
    crowded.namespace!.nat.rules = [];
    crowded.namespace!.links.push({ ...link(crowded, "qr-a"), name: "tap-other" });
    assert.throws(() => planRouter(desired, crowded, OWNER), OwnershipConflict);
  });

  it("plans nothing when the host's own namespace holds none of our devices (they are all inside)", () => {
    const live = { ...converged(), hostLinks: ["lo", "br-int", "br-ex"] };
    assert.deepEqual(planRouter(desired, live, OWNER), []);
  });

  it("recreates the OVS ports of a namespace deleted by hand: del-port in a transaction of its own, then add-port, the namespace, move, addresses", () => {
    // `ip netns delete` destroyed the devices; OVS still lists the ports, with an ofport.
    const live: LiveRouter = { ovs: converged().ovs, hostLinks: ["lo", "br-int", "br-ex"] };
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ovs-vsctl --if-exists del-port br-int qr-a -- --if-exists del-port br-ex qg-b");
    assert.match(ops[1], /^ovs-vsctl --may-exist add-port br-int qr-a .* -- --may-exist add-port br-ex qg-b /);
    assert.equal(
      ops[2],
      "ip -batch - <<'OVSLAB_EOF'\nnetns add qrouter-1\nlink set dev qr-a netns qrouter-1\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF",
    );
  });

  it("after an ovs-vswitchd restart, deletes the dead copy in the namespace and moves OVS's new device in", () => {
    // The new tap is in the host's namespace; the copy inside is up without carrier.
    const live = { ...converged(), hostLinks: ["lo", "br-int", "qr-a"] };
    link(live, "qr-a").noCarrier = true;
    const ops = script(planRouter(desired, live, OWNER));
    assert.equal(ops[0], "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'\nlink del dev qr-a\nOVSLAB_EOF");
    assert.equal(ops[1], "ip -batch - <<'OVSLAB_EOF'\nlink set dev qr-a netns qrouter-1\nOVSLAB_EOF");
    // The copy's routes went with it: re-added, never deleted by hand; the port itself stays.
    assert.ok(
      ops[2].includes("address replace 10.0.0.1/24 dev qr-a") &&
        ops[2].includes("route replace 10.2.0.0/16 via 10.0.0.254"),
      ops[2],
    );
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

  it("brings a device set down by hand back up, and keeps one declared `up: false` down", () => {
    const live = converged();
    link(live, "qr-a").up = false;
    assert.deepEqual(planRouter(desired, live, OWNER).map((op) => op.stdin), ["link set dev qr-a up\n"]);
    const down = routerNamespaceSpec.parse({
      ...desired,
      interfaces: [{ ...desired.interfaces[0], up: false }, desired.interfaces[1]],
    });
    assert.deepEqual(planRouter(down, live, OWNER), []);
    assert.deepEqual(planRouter(down, converged(), OWNER).map((op) => op.stdin), ["link set dev qr-a down\n"]);
  });

  it("refuses to take over a port someone else owns", () => {
    const live = empty();
    live.ovs.bridges
      .find((b) => b.name === "br-int")!
      .ports.push({ name: "qr-a", type: "internal", trunks: [], options: {}, externalIds: {} });
    assert.throws(
      () => planRouter(desired, live, OWNER),
      /port qr-a already exists on bridge br-int and is not owned by t\/s\/r1/,
    );
  });
});

