import { strict as assert } from "node:assert";
import { parseGroupIds, parseTlvFields, prerequisites } from "../../../core/kinds/flowPrerequisites";
import { formatCommand } from "../../../core/shell";

describe("flow prerequisites: the groups and TLV mappings a flow needs on its bridge", () => {
  it("reads the group ids dump-groups prints, decimal or hex", () => {
    const out =
      "OFPST_GROUP_DESC reply (OF1.4) (xid=0x2):\n group_id=1,type=all,bucket=actions=drop\n group_id=0x10,type=select\n";
    assert.deepEqual([...parseGroupIds(out)], ["1", "16"]);
  });

  it("reads the mapped tun_metadata fields dump-tlv-map prints, and none from an empty map", () => {
    const out =
      " mapping table:\n class\ttype\tlength\tmatch field\n 0xffff\t0x0\t4\ttun_metadata0\n 0xffff\t0x1\t8\ttun_metadata7\n";
    assert.deepEqual([...parseTlvFields(out)], ["0", "7"]);
    assert.deepEqual([...parseTlvFields(" mapping table:\n class\ttype\tlength\tmatch field\n")], []);
  });

  it("asks for nothing when no line names a group or tun_metadata, and refuses nothing", () => {
    const needs = prerequisites("br-x", ["actions=output:1", "dl_vlan=3,actions=drop"]);
    assert.deepEqual(needs.queries, []);
    assert.equal(needs.refusal([]), undefined);
  });

  it("asks for the groups only when a group is named, and refuses the first line whose group is missing", () => {
    const needs = prerequisites("br-x", ["actions=group:1", "actions=output:2", "actions=clone(group:9)"]);
    assert.deepEqual(needs.queries.map((q) => formatCommand(q.op)), ["ovs-ofctl -O OpenFlow14 dump-groups br-x"]);
    assert.deepEqual(needs.refusal([new Set(["1", "9"])]), undefined);
    assert.equal(needs.refusal([new Set(["1"])])?.index, 2);
  });
});
