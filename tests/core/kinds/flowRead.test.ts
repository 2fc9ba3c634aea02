import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readFlows } from "../../../core/kinds/flowRead";
import { isReading, Reading } from "../../../core/kinds/reading";
import { LiveFlows } from "../../../core/live/flows";
import { LiveBridges } from "../../../core/live/bridge";
import { OpenFlowVersionError } from "../../../core/plan/flows";
import { formatCommand } from "../../../core/shell";

const dump = readFileSync(join(__dirname, "../../fixtures/ovs/dump-of13-names-nostats.txt"), "utf8");
const ovs = (protocols: string[]): LiveBridges => ({
  bridges: [
    { name: "br-ex", failMode: "standalone", datapathType: "", protocols, externalIds: {}, otherConfig: {}, ports: [] },
  ],
  portBridge: new Map(),
});
const commands = (r: Reading<LiveFlows>) => r.queries.map((q) => formatCommand(q.op));

describe("readFlows", () => {
  it("reads the bridge, then our cookie's flows and each table we write once (others' flows kept apart)", () => {
    const first = readFlows("br-ex", "0x1234", [0, 3, 0]);
    assert.deepEqual(
      commands(first).map((c) => c.split(" ")[0]),
      ["ovs-vsctl"],
    );
    const second = first.next([ovs(["OpenFlow13", "OpenFlow14"])]);
    assert.ok(isReading(second));
    const lines = commands(second);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0], /dump-flows br-ex cookie=0x1234\/-1$/);
    assert.match(lines[1], /dump-flows br-ex table=0$/);
    assert.match(lines[2], /dump-flows br-ex table=3$/);
    const parsed = second.queries.map((q) => q.parse(dump) as Array<{ cookie: string }>);
    const live = second.next(parsed) as LiveFlows;
    assert.equal(live.bridge?.name, "br-ex");
    const ours = parsed[0].length;
    const othersPerTable = parsed[1].filter((f) => BigInt(f.cookie) !== 0x1234n).length;
    assert.equal(
      live.flows.length,
      ours + 2 * othersPerTable,
      "our dump whole, then the tables' flows of other cookies",
    );
  });

  it("is done after one command when the bridge does not exist", () => {
    assert.deepEqual(readFlows("br-ex", "0x1", [0]).next([{ bridges: [], portBridge: new Map() }]), { flows: [] });
  });

  it("refuses a bridge without OpenFlow14 before any dump", () => {
    assert.throws(() => readFlows("br-ex", "0x1", [0]).next([ovs(["OpenFlow10"])]), OpenFlowVersionError);
  });
});
