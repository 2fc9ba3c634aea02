// FlowRule: one OpenFlow rule owned through its cookie.
import { FlowRuleArgs, flowRuleSpec, FlowRuleSpec } from "../schema/flow";
import { documented } from "../schema/documented";
import { flowBridgeOf, LiveFlows } from "../live/flows";
import { flowOf, flowRuleCookie, observeFlowRule, planFlowRule, planFlowRuleDelete } from "../plan/flowRule";
import { KindDefinition } from "./kind";
import { readFlows, readFlowsAfter } from "./flowRead";

export const flowRuleKind: KindDefinition<FlowRuleSpec, LiveFlows, "flowRule"> = {
  key: "flowRule",
  title: "FlowRule",
  order: 3,
  schema: documented<FlowRuleArgs>()(flowRuleSpec),
  idOf: (spec, owner) => `${spec.bridge}/cookie=${flowRuleCookie(spec, owner)}`,
  // A new cookie or bridge is another rule: the old one is deleted, the new one created.
  replaceOn: ["bridge", "cookie"],
  read: (spec, owner) => readFlows(spec.bridge, flowRuleCookie(spec, owner), [spec.table], [flowOf(spec)]),
  readAfter: (spec, owner, ops, before) =>
    readFlowsAfter(spec.bridge, flowRuleCookie(spec, owner), ops, before, () => flowRuleKind.read(spec, owner)),
  plan: planFlowRule,
  planDelete: planFlowRuleDelete,
  observe: observeFlowRule,
  emptyLive: (spec, ovs) => ({ bridge: flowBridgeOf(ovs, spec.bridge), flows: [] }),
  graph: {
    bridges: (spec) => [spec.bridge],
    flows: ({ bridge, cookie: _cookie, ...flow }) => [{ bridge, flow }],
  },
};
