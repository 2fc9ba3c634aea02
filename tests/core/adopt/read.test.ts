import { strict as assert } from "node:assert";
import { friendlyFlows, readingProtocols } from "../../../core/adopt/read";
import { readRouters } from "../../../core/compile/router";
import { parseFlowDump, parseFlowMods } from "../../../core/live/flows";
import { routerSysctls } from "../../../core/schema/router";
import { writesIn } from "../../support/commands";
import { handBuilt } from "./fixtures";

describe("readHost", () => {
  it("reads bridges and namespaces, then each bridge's flows in 1.4 and 1.0, then OVS's reading of both", () => {
    const { ran } = handBuilt({ bridges: ["br-int"] });
    const heads = ran.map((argv) =>
      argv[0] === "sh" ? `sh ${argv[2].includes("parse-flows") ? "parse" : "netns"}` : argv.slice(0, 3).join(" "),
    );
    assert.deepEqual(heads, [
      "ovs-vsctl --format=json --columns=_uuid,name,fail_mode,datapath_type,protocols,external_ids,other_config,ports",
      "sh netns",
      "ovs-ofctl -O OpenFlow14",
      "ovs-ofctl -O OpenFlow10",
      "sh parse",
    ]);
    assert.deepEqual(ran[2], ["ovs-ofctl", "-O", "OpenFlow14", "--no-stats", "--names", "dump-flows", "br-int"]);
  });

  it("runs only commands that read: OVSDB and flow reads, the routers' own read of every namespace, parse-flows", () => {
    const { ran } = handBuilt();
    assert.deepEqual(writesIn(ran.filter((argv) => argv[0] !== "sh")), []);
    const scripts = ran.filter((argv) => argv[0] === "sh");
    assert.deepEqual(scripts[0], readRouters(Object.keys(routerSysctls(true)).sort()).argv);
    assert.deepEqual(
      scripts.slice(1).map((argv) => argv[2].split(" ").slice(0, 4)),
      [
        ["ovs-ofctl", "-O", "OpenFlow14", "parse-flows"],
        ["ovs-ofctl", "-O", "OpenFlow14", "parse-flows"],
      ],
    );
  });

  it("returns the host's bridges, every namespace and the flows of the selected bridges, in 1.0 words", () => {
    const { host } = handBuilt({ bridges: ["br-ex"] });
    assert.deepEqual(host.ovs.bridges.map((b) => b.name).sort(), ["br-ex", "br-int"]);
    assert.deepEqual(
      host.flows["br-ex"].map((f) => f.actions),
      ["strip_vlan,NORMAL", "drop", "NORMAL", "NORMAL"],
    );
    assert.equal(host.namespaces.length, 6);
    assert.ok(host.hostLinks.includes("lo"));
  });
});

describe("readingProtocols", () => {
  it("reads exactly in OpenFlow 1.4 (else the newest allowed), and in 1.0 words when the bridge allows 1.0", () => {
    assert.deepEqual(readingProtocols({ protocols: [] }), { exact: "OpenFlow14", friendly: "OpenFlow10" });
    assert.deepEqual(readingProtocols({ protocols: ["OpenFlow10", "OpenFlow14"] }), {
      exact: "OpenFlow14",
      friendly: "OpenFlow10",
    });
    assert.deepEqual(readingProtocols({ protocols: ["OpenFlow13"] }), { exact: "OpenFlow13" });
  });
});

describe("friendlyFlows", () => {
  const exact = parseFlowDump(
    " table=2, priority=0 actions=goto_table:3\n priority=4,dl_vlan=1 actions=pop_vlan,NORMAL",
  );
  const friendly = parseFlowDump(
    " table=2, priority=0 actions=resubmit(,3)\n priority=4,dl_vlan=1 actions=strip_vlan,NORMAL",
  );
  const mod = (text: string) => `OFPT_FLOW_MOD (OF1.4) (xid=0x1): ADD ${text}`;

  it("takes the 1.0 words only where OVS reads them as the very flow: goto_table is no resubmit", () => {
    const read = parseFlowMods(
      [
        mod("table:2 priority=0 actions=goto_table:3"),
        mod("priority=4,dl_vlan=1 actions=pop_vlan,NORMAL"),
        mod("table:2 priority=0 actions=resubmit(,3)"),
        mod("priority=4,dl_vlan=1 actions=pop_vlan,NORMAL"),
      ].join("\n"),
    );
    assert.deepEqual(
      friendlyFlows(exact, friendly, read).map((f) => f.actions),
      ["goto_table:3", "strip_vlan,NORMAL"],
    );
  });

  it("keeps the exact words when OVS refused to read them", () => {
    assert.deepEqual(friendlyFlows(exact, friendly, undefined), exact);
  });
});
