// Someone else's objects beside ours (as a Neutron agent leaves them) through the real
// engine: a port with its own external_ids and flows of cookie 0 and 0x77 in two tables on
// our bridge, an l3-agent's nat and filter chains and a device of its own inside our router
// namespace, a qdhcp namespace. They must read byte-identical after an `up` that changes
// our spec (failMode too, which makes OVS flush every flow), a `refresh` and a `destroy`.
import { strict as assert } from "node:assert";
import { Stack } from "@pulumi/pulumi/automation";
import { Bridge, FlowTable, RouterNamespace, hostConnection } from "../../sdk";
import { startLabHost, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown } from "./support";

const NS = "qrouter-5a1e";
const inNs = (...argv: string[]) => ["ip", "netns", "exec", NS, ...argv];

function program(failMode: "secure" | "standalone", tag: number) {
  return async () => {
    const connection = hostConnection();
    const brInt = new Bridge("br-int", { connection, failMode, datapathType: "netdev" });
    new FlowTable("br-int-flows", { connection, bridge: brInt.name, flows: [{ priority: 1, actions: "NORMAL" }] });
    new RouterNamespace("router", {
      connection,
      name: NS,
      interfaces: [{ name: "qr-5a1e", bridge: brInt.name, tag, addresses: ["10.0.0.1/24"] }],
      snat: [{ interface: "qr-5a1e", sources: ["10.9.0.0/24"] }],
    });
  };
}

/** Someone else's: made by hand, the way a Neutron agent would. */
async function addForeign(lab: LabHost): Promise<void> {
  await lab.sh([
    "ovs-vsctl",
    "add-port",
    "br-int",
    "tap-neutron",
    "--",
    "set",
    "Interface",
    "tap-neutron",
    "type=internal",
    "external_ids:iface-id=6f1c",
    "--",
    "set",
    "Port",
    "tap-neutron",
    "tag=7",
    "external_ids:neutron=yes",
  ]);
  await lab.sh(["ovs-ofctl", "add-flows", "br-int", "-"], [
    "cookie=0x0,table=0,priority=50,arp,actions=drop",
    "cookie=0x77,table=0,priority=40,ip,nw_dst=192.0.2.1,actions=drop",
    "cookie=0x77,table=23,priority=0,actions=drop",
    "cookie=0x0,table=23,priority=9,udp,tp_dst=67,actions=NORMAL",
  ].join("\n") + "\n");
  await lab.sh(
    inNs("iptables-restore", "--noflush"),
    [
      "*nat",
      ":neutron-l3-agent-snat - [0:0]",
      "-A POSTROUTING -j neutron-l3-agent-snat",
      "-A neutron-l3-agent-snat -s 10.8.0.0/24 -j SNAT --to-source 10.0.0.1",
      "COMMIT",
      "*filter",
      ":neutron-filter-top - [0:0]",
      "-A INPUT -j neutron-filter-top",
      "-A neutron-filter-top -p tcp --dport 9697 -j ACCEPT",
      "COMMIT",
      "",
    ].join("\n"),
  );
  await lab.sh(["ip", "-n", NS, "tuntap", "add", "dev", "ha-5a1e", "mode", "tap"]);
  await lab.sh(["ip", "netns", "add", "qdhcp-5a1e"]);
  await lab.sh(["ip", "-n", "qdhcp-5a1e", "tuntap", "add", "dev", "tap-dhcp", "mode", "tap"]);
}

/** The foreign objects as the host's own tools print them (no counters, no stats). */
async function foreign(lab: LabHost): Promise<string> {
  const flows = async (cookie: string) =>
    (await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-int", `cookie=${cookie}/-1`]))
      .split("\n").filter((l) => l.trim() && !/^(NXST|OFPST)/.test(l) && !/priority=0 actions=NORMAL/.test(l)).sort();
  const neutronLines = (await lab.sh(inNs("iptables-save")))
    .split("\n")
    .filter((l) => l.includes("neutron"))
    .map((l) => l.replace(/\[\d+:\d+\]/, ""));
  return JSON.stringify({
    port: await lab.sh(["ovs-vsctl", "get", "Port", "tap-neutron", "tag", "external_ids"]),
    iface: await lab.sh(["ovs-vsctl", "get", "Interface", "tap-neutron", "type", "external_ids"]),
    cookie0: await flows("0x0"),
    cookie77: await flows("0x77"),
    chains: neutronLines,
    device: (await lab.sh(["ip", "-n", NS, "-o", "link", "show", "ha-5a1e"])).replace(/^\d+: /, ""),
    qdhcp: await lab.sh(["ip", "-n", "qdhcp-5a1e", "-o", "link", "show", "tap-dhcp"]),
  }, null, 1);
}

describe("someone else's objects beside ours, through the real engine @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: Stack;
  let original: string;

  before(async () => {
    lab = await startLabHost();
    state = scratchState("foreign");
    stack = await inlineStack({
      state,
      projectName: "ovslab-foreign",
      stackName: "foreign",
      program: program("secure", 2),
      config: hostConfig(lab.connection),
    });
    await stack.up();
    await addForeign(lab);
    original = await foreign(lab);
  });

  after(async () => {
    await lab?.exec(["ip", "netns", "delete", "qdhcp-5a1e"]);
    await tearDown(stack, lab, state);
  });

  it("keeps them byte-identical through an up that changes failMode (OVS flushes every flow) and a tag", async () => {
    stack.workspace.program = program("standalone", 3);
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 2, update: 2 });
    assert.equal((await lab.sh(["ovs-vsctl", "get", "Bridge", "br-int", "fail_mode"])).trim(), "standalone");
    assert.equal(await foreign(lab), original);
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 4 }, "our flows came back too: nothing left to do");
  });

  it("keeps them through a refresh", async () => {
    await stack.refresh();
    assert.equal(await foreign(lab), original);
  });

  it("keeps them through a destroy: the bridge and the namespace stay, unmarked, for them", async () => {
    await stack.destroy();
    assert.equal(await foreign(lab), original);
    assert.equal((await lab.sh(["ovs-vsctl", "br-get-external-id", "br-int", "ovslab-owner"])).trim(), "");
    assert.equal(
      (await lab.sh(["ip", "-n", NS, "-o", "link", "show", "lo"])).includes("alias"),
      false,
      "the namespace is unmarked",
    );
    const nat = await lab.sh(inNs("iptables-save", "-t", "nat"));
    assert.doesNotMatch(nat, /ovslab-/, "our chains and jumps went");
    assert.equal((await lab.exec(["ovs-vsctl", "port-to-br", "qr-5a1e"])).code, 1, "our port went");
  });
});
