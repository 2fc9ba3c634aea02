import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parseBridges, parseRunningBridges } from "../../../core/live/bridge";
import { parseSelects } from "../../../core/live/ovsdb";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/ovs", name), "utf8");

describe("parseBridges", () => {
  // Captured from OVS 3.1: br-int (secure, netdev) with foo (tag 4, ours), jack (trunks,
  // native-untagged) and the patch port int-br-ex; br-ex lists all ports and interfaces.
  const live = parseBridges(fixture("vsctl-multi.json"));

  it("reads the bridge's columns, with OVS's empty values normalised", () => {
    const [br] = live.bridges;
    assert.equal(br.name, "br-int");
    assert.equal(br.failMode, "secure");
    assert.equal(br.datapathType, "netdev");
    assert.deepEqual(br.protocols, []);
    assert.deepEqual(br.externalIds, { "ovslab-owner": "p/s/br-int" });
    assert.deepEqual(br.otherConfig, { foo: "bar" });
  });

  it("lists the bridge's ports without its own internal port", () => {
    assert.deepEqual(live.bridges[0].ports.map((p) => p.name).sort(), ["foo", "int-br-ex", "jack"]);
  });

  it("joins each port with its interface: type, options, ofport", () => {
    const ports = new Map(live.bridges[0].ports.map((p) => [p.name, p]));
    assert.deepEqual(ports.get("foo"), {
      name: "foo",
      type: "internal",
      tag: 4,
      trunks: [],
      options: {},
      externalIds: { "ovslab-owner": "p/s/br-int" },
      ofport: 1,
    });
    assert.deepEqual(ports.get("jack")!.trunks, [1, 2, 3]);
    assert.equal(ports.get("jack")!.vlanMode, "native-untagged");
    assert.equal(ports.get("jack")!.tag, 1);
    assert.deepEqual(ports.get("int-br-ex")!.options, { peer: "phy-br-ex" });
    assert.equal(ports.get("int-br-ex")!.type, "patch");
  });

  it("knows which bridge every port of the host is on, ours or not", () => {
    assert.equal(live.portBridge.get("foo"), "br-int");
    assert.equal(live.portBridge.get("phy-br-ex"), undefined, "br-ex was not asked for, so its ports are unknown");
  });

  it("reads an absent bridge as no bridge", () => {
    const empty = parseBridges(
      '{"data":[],"headings":["name"]}\n{"data":[],"headings":["_uuid","name"]}\n{"data":[],"headings":["_uuid","name"]}\n',
    );
    assert.deepEqual(empty.bridges, []);
  });

  it("refuses output that is not the three tables it asked for", () => {
    assert.throws(() => parseBridges(fixture("vsctl-empty.json")), /expected three tables/);
  });
});

describe("parseRunningBridges", () => {
  it("lists the bridges under each datapath of `ovs-appctl dpif/show`, not their ports", () => {
    // Captured from a lab host: br-a on netdev with port pa; br-dp (system, no kernel module) not run.
    const shown = "netdev@ovs-netdev: hit:0 missed:0\n  br-a:\n    br-a 65534/2: (tap)\n    pa 1/1: (tap)\n";
    assert.deepEqual(parseRunningBridges(shown), ["br-a"]);
    assert.deepEqual(parseRunningBridges(""), []);
  });
});

describe("parseSelects (ovsdb-client transact output)", () => {
  it("gives each select's rows with cells decoded as ovs-vsctl's are", () => {
    const out = JSON.stringify([
      {
        rows: [
          {
            _uuid: ["uuid", "b1"],
            name: "br-int",
            ports: [
              "set",
              [
                ["uuid", "p1"],
                ["uuid", "p2"],
              ],
            ],
          },
        ],
      },
      {
        rows: [
          {
            _uuid: ["uuid", "p1"],
            name: "qr-1",
            tag: 3,
            trunks: ["set", []],
            external_ids: ["map", [["ovslab-owner", "o"]]],
          },
        ],
      },
      { rows: [] },
    ]);
    assert.deepEqual(parseSelects(out), [
      [{ _uuid: "b1", name: "br-int", ports: ["p1", "p2"] }],
      [{ _uuid: "p1", name: "qr-1", tag: 3, trunks: [], external_ids: { "ovslab-owner": "o" } }],
      [],
    ]);
  });

  it("names OVSDB's reason when it refused a select", () => {
    assert.throws(
      () => parseSelects(JSON.stringify([{ error: "unknown column", details: "no column foo in table Port" }])),
      /OVSDB refused a read: unknown column no column foo in table Port/,
    );
  });
});
