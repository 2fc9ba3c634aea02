import { strict as assert } from "node:assert";
import { readingProtocol } from "../../../core/adopt/read";
import { readRouters } from "../../../core/compile/router";
import { routerSysctls } from "../../../core/schema/router";
import { writesIn } from "../../support/commands";
import { handBuilt } from "./fixtures";

describe("readHost", () => {
  it("reads every bridge and every namespace, then each selected bridge's flows with port names and no statistics", () => {
    const { ran } = handBuilt({ bridges: ["br-int"] });
    assert.deepEqual(
      ran.map((argv) => argv.slice(0, 2)),
      [
        ["ovs-vsctl", "--format=json"],
        ["sh", "-c"],
        ["ovs-ofctl", "-O"],
      ],
    );
    assert.deepEqual(ran[2], ["ovs-ofctl", "-O", "OpenFlow10", "--no-stats", "--names", "dump-flows", "br-int"]);
  });

  it("runs only commands that read: OVSDB and flow reads, and the routers' own read of every namespace", () => {
    const { ran } = handBuilt();
    assert.deepEqual(writesIn(ran.filter((argv) => argv[0] !== "sh")), []);
    assert.deepEqual(
      ran.filter((argv) => argv[0] === "sh"),
      [readRouters(Object.keys(routerSysctls(true)).sort()).argv],
    );
  });

  it("returns the host's bridges, every namespace and the flows of the selected bridges", () => {
    const { host } = handBuilt({ bridges: ["br-ex"] });
    assert.deepEqual(host.ovs.bridges.map((b) => b.name).sort(), ["br-ex", "br-int"]);
    assert.deepEqual(Object.keys(host.flows), ["br-ex"]);
    assert.equal(host.namespaces.length, 6);
    assert.ok(host.hostLinks.includes("lo"));
  });
});

describe("readingProtocol", () => {
  it("reads in OpenFlow 1.0 when the bridge allows it, else in the newest version it allows", () => {
    assert.equal(readingProtocol({ protocols: [] }), "OpenFlow10");
    assert.equal(readingProtocol({ protocols: ["OpenFlow10", "OpenFlow13"] }), "OpenFlow10");
    assert.equal(readingProtocol({ protocols: ["OpenFlow14", "OpenFlow13"] }), "OpenFlow14");
  });
});
