// planRouterDelete: our ports, then the namespace, or only ours in it when someone else lives there.
import { strict as assert } from "assert";
import { planRouterDelete } from "../../../../core/plan/router/delete";
import { parseNamespace, parseTenants } from "../../../../core/live/router";
import { converged, empty, fixture, link, OWNER, script } from "./fixture";

/** What readNamespaceTenants prints: iptables-save of every table, then the pids. */
function tenants(extraNat: string[], filter: string[], pids = "") {
  return parseTenants(
    [
      "@@ovslab iptables",
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ":ovslab-POSTROUTING - [0:0]",
      ...extraNat.filter((l) => l.startsWith(":")),
      "-A POSTROUTING -j ovslab-POSTROUTING",
      ...extraNat.filter((l) => l.startsWith("-A")),
      "-A ovslab-POSTROUTING -s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
      "COMMIT",
      ...(filter.length ? ["*filter", ":INPUT ACCEPT [0:0]", ...filter, "COMMIT"] : []),
      "@@ovslab pids",
      pids,
    ].join("\n"),
  )!;
}

describe("planRouterDelete with what else lives in the namespace", () => {
  it("deletes the namespace when all in it is ours", () => {
    const live = converged();
    live.namespace!.tenants = tenants([], []);
    assert.deepEqual(script(planRouterDelete("qrouter-1", live, OWNER)).at(-1), "ip netns delete qrouter-1");
  });

  it("keeps the namespace, unmarked, for a Neutron l3-agent's chains: removes only our ports, chains and jumps", () => {
    const live = converged();
    live.namespace!.tenants = tenants(
      [":neutron-l3-agent-snat - [0:0]", "-A POSTROUTING -j neutron-l3-agent-snat"],
      [":neutron-filter-top - [0:0]", "-A INPUT -j neutron-filter-top"],
    );
    const ops = planRouterDelete("qrouter-1", live, OWNER);
    assert.deepEqual(script(ops).slice(1), [
      "nsenter --net=/var/run/netns/qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'\n*nat\n" +
        "-D PREROUTING -j ovslab-PREROUTING\n-D OUTPUT -j ovslab-OUTPUT\n-D POSTROUTING -j ovslab-POSTROUTING\n" +
        "-F ovslab-OUTPUT\n-F ovslab-POSTROUTING\n-F ovslab-PREROUTING\n-X ovslab-OUTPUT\n-X ovslab-POSTROUTING\n-X ovslab-PREROUTING\nCOMMIT\nOVSLAB_EOF",
      "ip -n qrouter-1 link set dev lo alias ''",
    ]);
    assert.match(
      ops.at(-1)!.why,
      /keep namespace qrouter-1, unmarked, for what we do not own \(nat chain neutron-l3-agent-snat, 1 nat rule, filter chain neutron-filter-top, 1 filter rule\)/,
    );
  });

  it("keeps it for a device or a process of someone else's", () => {
    const live = converged();
    live.namespace!.links.push({ name: "ha-1234", up: true, mtu: 1500, mac: "fa:16:3e:00:00:09", addresses: [] });
    live.namespace!.tenants = tenants([], [], "4242\n");
    assert.match(planRouterDelete("qrouter-1", live, OWNER).at(-1)!.why, /\(device ha-1234, 1 process \(pid 4242\)\)/);
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
    assert.deepEqual(script(planRouterDelete("qrouter-1", foreign, OWNER)), [
      "ovs-vsctl --if-exists del-port br-ex qg-b -- --if-exists del-port br-int qr-a",
    ]);
    assert.deepEqual(planRouterDelete("qrouter-1", empty(), OWNER), []);
  });

  it("leaves an unmarked namespace, even an empty one", () => {
    const live = empty();
    live.namespace = parseNamespace("qrouter-1", fixture("read-fresh.txt"));
    assert.deepEqual(planRouterDelete("qrouter-1", live, OWNER), []);
  });

  it("deletes an unmarked namespace holding our devices and nothing else (a create cut before its mark)", () => {
    const cut = converged();
    delete link(cut, "lo").alias;
    cut.namespace!.tenants = tenants([], []);
    assert.deepEqual(script(planRouterDelete("qrouter-1", cut, OWNER)), [
      "ovs-vsctl --if-exists del-port br-ex qg-b -- --if-exists del-port br-int qr-a",
      "ip netns delete qrouter-1",
    ]);
    // Someone else's device there too: only our ports go, and the namespace, never marked, stays as it is.
    cut.namespace!.links.push({ name: "ha-1234", up: true, mtu: 1500, mac: "fa:16:3e:00:00:09", addresses: [] });
    assert.deepEqual(script(planRouterDelete("qrouter-1", cut, OWNER)), [
      "ovs-vsctl --if-exists del-port br-ex qg-b -- --if-exists del-port br-int qr-a",
    ]);
  });
});
