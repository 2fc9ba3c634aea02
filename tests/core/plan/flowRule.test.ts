import { strict as assert } from "assert";
import { flowRuleSpec, FlowRuleSpec } from "../../../core/schema/flow";
import { derivedCookie } from "../../../core/openflow/cookie";
import { parseFlowDump, FlowBridge, LiveFlows } from "../../../core/live/flows";
import { flowRuleCookie, observeFlowRule, planFlowRule, planFlowRuleDelete } from "../../../core/plan/flowRule";

const OWNER = "lab/dev/strip-vlan-1";
const COOKIE = derivedCookie("FlowRule", OWNER);
const spec = (input: Record<string, unknown>): FlowRuleSpec => flowRuleSpec.parse({ bridge: "br-ex", ...input });
const rule = spec({ priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" });
const brEx: FlowBridge = {
  name: "br-ex",
  protocols: [],
  ports: { bridge: "br-ex", byNumber: new Map([[1, "phy-br-ex"]]) },
};
const host = (dump: string): LiveFlows => ({ bridge: brEx, flows: parseFlowDump(dump) });
const ours = ` cookie=${COOKIE}, priority=4,in_port="phy-br-ex",dl_vlan=1 actions=pop_vlan,NORMAL`;

describe("planFlowRule", () => {
  it("derives the cookie from the owner, so the same resource finds its flow again", () => {
    assert.equal(flowRuleCookie(rule, OWNER), COOKIE);
    assert.deepEqual(planFlowRule(rule, host(ours), OWNER), []);
  });

  it("does not take another resource's flow for its own, and refuses to replace it", () => {
    assert.throws(
      () => planFlowRule(rule, host(ours), "lab/dev/other"),
      /already has a flow with table=0, priority=4 .* which is not ours/,
    );
    assert.equal(planFlowRule(spec({ ...rule, priority: 5 }), host(ours), "lab/dev/other").length, 1);
  });

  it("uses an explicit cookie when given", () => {
    const explicit = spec({ ...rule, cookie: "0xBEEF" });
    const [op] = planFlowRule(explicit, host(""), OWNER);
    assert.match(op.stdin!, /^delete cookie=0xbeef\/-1\nadd table=0,priority=4,cookie=0xbeef,/);
  });

  it("changes the idle timeout in one bundle that deletes the old flow (strictly, ours only) and adds the new one", () => {
    const [op] = planFlowRule(spec({ ...rule, idleTimeout: 30 }), host(ours), OWNER);
    assert.equal(
      op.stdin,
      `delete_strict table=0,priority=4,cookie=${COOKIE}/-1,in_port="phy-br-ex",dl_vlan=1\nadd table=0,priority=4,cookie=${COOKIE},idle_timeout=30,in_port=phy-br-ex,dl_vlan=1,actions=strip_vlan,NORMAL\n`,
    );
  });

  it("deletes only its own cookie", () => {
    const [op] = planFlowRuleDelete(rule, host(ours + "\n cookie=0x1234, priority=1 actions=drop"), OWNER);
    assert.equal(op.stdin, `delete cookie=${COOKIE}/-1\n`);
  });
});

describe("observeFlowRule", () => {
  it("shows the rule as declared when OVS holds it in its own spelling", () => {
    assert.deepEqual(observeFlowRule(host(ours), rule, OWNER), rule);
  });

  it("is undefined when no flow carries the cookie any more (deleted by hand, flushed by fail_mode)", () => {
    assert.equal(observeFlowRule(host(" cookie=0x1234, priority=1 actions=drop"), rule, OWNER), undefined);
  });

  it("shows actions changed by hand as OVS prints them", () => {
    const observed = observeFlowRule(host(ours.replace("pop_vlan,NORMAL", "drop")), rule, OWNER)!;
    assert.deepEqual([observed.match, observed.actions], ["in_port=phy-br-ex,dl_vlan=1", "drop"]);
  });

  it("shows the rule as declared when the changed flow is text its schema refuses (state must stay valid)", () => {
    assert.deepEqual(observeFlowRule(host(ours.replace("pop_vlan,NORMAL", "pop_vlan;NORMAL")), rule, OWNER), rule);
  });
});
