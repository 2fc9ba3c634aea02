import { strict as assert } from "assert";
import { flowTableSpec, FlowTableSpec } from "../../../core/schema/flow";
import { derivedCookie } from "../../../core/openflow/cookie";
import { parseFlowDump, FlowBridge, LiveFlows } from "../../../core/live/flows";
import { observeFlowTable, planFlowTable, planFlowTableDelete } from "../../../core/plan/flowTable";

const OWNER = "lab/dev/acl";
const COOKIE = derivedCookie("FlowTable", OWNER);
const brEx: FlowBridge = { name: "br-ex", protocols: [], ports: { bridge: "br-ex", byNumber: new Map() } };
const host = (dump: string): LiveFlows => ({ bridge: brEx, flows: parseFlowDump(dump) });

/** N flows dropping TCP to ports 1000..1000+N-1, and the dump OVS gives for them. */
function acl(n: number): { spec: FlowTableSpec; dump: string } {
  const flows = Array.from({ length: n }, (_, i) => ({
    table: 1,
    priority: 100,
    match: `tcp,tp_dst=${1000 + i}`,
    actions: "drop",
  }));
  const dump = flows
    .map((f) => ` cookie=${COOKIE}, table=1, priority=100,tcp,tp_dst=${f.match.split("=")[1]} actions=drop`)
    .join("\n");
  return { spec: flowTableSpec.parse({ bridge: "br-ex", flows }), dump };
}

describe("planFlowTable", () => {
  it("derives a cookie of its own, different from a FlowRule of the same name", () => {
    assert.notEqual(COOKIE, derivedCookie("FlowRule", OWNER));
  });

  it("plans nothing for 2000 flows that are there, in another order, quickly", () => {
    const { spec, dump } = acl(2000);
    const shuffled = dump.split("\n").reverse().join("\n");
    const started = Date.now();
    assert.deepEqual(planFlowTable(spec, host(shuffled), OWNER), []);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it("changes only the one flow of 2000 whose actions changed, with modify_strict (its counters stay)", () => {
    const { spec, dump } = acl(2000);
    const ops = planFlowTable(
      spec,
      host(dump.replace("tp_dst=1500 actions=drop", "tp_dst=1500 actions=NORMAL")),
      OWNER,
    );
    assert.equal(ops.length, 1);
    assert.deepEqual(ops[0].stdin!.trim().split("\n"), [
      `modify_strict table=1,priority=100,cookie=${COOKIE},tcp,tp_dst=1500,actions=drop`,
    ]);
  });

  it("adds one flow and deletes another without touching the 1999 unchanged ones", () => {
    const { spec, dump } = acl(2000);
    const flows = [
      ...spec.flows.filter((f) => f.match !== "tcp,tp_dst=1000"),
      { ...spec.flows[0], match: "tcp,tp_dst=9999" },
    ];
    const [op] = planFlowTable({ ...spec, flows }, host(dump), OWNER);
    assert.deepEqual(op.stdin!.trim().split("\n"), [
      `delete_strict table=1,priority=100,cookie=${COOKIE}/-1,tcp,tp_dst=1000`,
      `add table=1,priority=100,cookie=${COOKIE},tcp,tp_dst=9999,actions=drop`,
    ]);
    assert.match(op.why, /add 1 flow, delete 1 flow of cookie/);
  });

  it("deletes all its flows with one line, and nothing of other cookies", () => {
    const { spec, dump } = acl(3);
    const [op] = planFlowTableDelete(spec, host(dump + "\n cookie=0x5, priority=1 actions=drop"), OWNER);
    assert.equal(op.stdin, `delete cookie=${COOKIE}/-1\n`);
  });
});

describe("observeFlowTable", () => {
  it("shows the declared flows that are there and the extra flows of its cookie", () => {
    const { spec, dump } = acl(3);
    const live = dump.split("\n").slice(1).join("\n") + `\n cookie=${COOKIE}, priority=7,ip actions=drop`;
    const observed = observeFlowTable(host(live), spec, OWNER)!;
    assert.deepEqual(
      observed.flows.map((f) => `${f.priority} ${f.match} ${f.actions}`),
      ["100 tcp,tp_dst=1001 drop", "100 tcp,tp_dst=1002 drop", "7 ip drop"],
    );
  });

  it("is an empty table, not a gone one, after a fail_mode change flushed the bridge", () => {
    const { spec } = acl(3);
    assert.deepEqual(observeFlowTable(host(""), spec, OWNER), { ...spec, flows: [] });
    assert.equal(observeFlowTable({ flows: [] }, spec, OWNER), undefined);
  });
});
