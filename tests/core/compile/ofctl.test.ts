import { strict as assert } from "assert";
import { addLine, bundle, deleteLine, dumpFlows, dumpTable, isBundle, moveCookies } from "../../../core/compile/ofctl";
import { formatArgv, formatCommand } from "../../../core/shell";

const seedFlow = {
  table: 0,
  priority: 4,
  match: "in_port=phy-br-ex,dl_vlan=1",
  actions: "strip_vlan,NORMAL",
  idleTimeout: 0,
  hardTimeout: 0,
};

describe("ofctl compile", () => {
  it("dumps only one cookie's flows, with --no-names (port numbers, as parse-flows prints) and --no-stats spelt out", () => {
    assert.equal(
      formatArgv(dumpFlows("br-ex", "0x6f76e5b9f9ecb492").argv),
      "ovs-ofctl -O OpenFlow14 --no-stats --no-names dump-flows br-ex cookie=0x6f76e5b9f9ecb492/-1",
    );
  });

  it("reads a whole table (whoever owns its flows) only to find collisions", () => {
    assert.equal(
      formatArgv(dumpTable("br-ex", 3).argv),
      "ovs-ofctl -O OpenFlow14 --no-stats --no-names dump-flows br-ex table=3",
    );
  });

  it("writes an add line with table, priority and cookie always, timeouts only when set", () => {
    assert.equal(
      addLine(seedFlow, "0xab"),
      "add table=0,priority=4,cookie=0xab,in_port=phy-br-ex,dl_vlan=1,actions=strip_vlan,NORMAL",
    );
    assert.equal(
      addLine({ ...seedFlow, match: "", actions: "NORMAL", idleTimeout: 30, hardTimeout: 60, table: 3 }, "0xab"),
      "add table=3,priority=4,cookie=0xab,idle_timeout=30,hard_timeout=60,actions=NORMAL",
    );
  });

  it("deletes by exact cookie in every table", () => {
    assert.equal(deleteLine("0xab"), "delete cookie=0xab/-1");
  });

  it("sends a bundle as one ovs-ofctl --bundle run with the flows on stdin, printed as a quoted heredoc", () => {
    const op = bundle("br-ex", [deleteLine("0xab"), addLine(seedFlow, "0xab")], "why");
    assert.deepEqual(op.argv, ["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br-ex", "-"]);
    assert.equal(
      formatCommand(op),
      "ovs-ofctl -O OpenFlow14 --bundle add-flows br-ex - <<'OVSLAB_EOF'\n" +
        "delete cookie=0xab/-1\n" +
        "add table=0,priority=4,cookie=0xab,in_port=phy-br-ex,dl_vlan=1,actions=strip_vlan,NORMAL\n" +
        "OVSLAB_EOF",
    );
  });

  it("tells a bundle from the other flow writes and reads (a cookie move, a dump)", () => {
    assert.ok(isBundle(bundle("br-ex", [deleteLine("0xab")], "why")));
    const move = moveCookies("br-ex", [{ ...seedFlow, cookie: "0x1" }], "0xab", "why");
    assert.ok(move && !isBundle(move));
    assert.ok(!isBundle(dumpFlows("br-ex", "0xab")));
  });
});
