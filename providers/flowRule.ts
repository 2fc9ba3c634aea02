// FlowRule: one OpenFlow rule owned through its cookie, wired for the CRUD.
import { flowRuleSpec, FlowRuleSpec } from "../core/schema/flow";
import { flowBridgeOf, LiveFlows } from "../core/live/flows";
import { flowOf, flowRuleCookie, observeFlowRule, planFlowRule, planFlowRuleDelete } from "../core/plan/flowRule";
import { KindDefinition } from "./kind";
import { readFlows } from "./flowRead";

export const flowRuleKind: KindDefinition<FlowRuleSpec, LiveFlows> = {
  title: "FlowRule",
  schema: flowRuleSpec,
  idOf: (spec, owner) => `${spec.bridge}/cookie=${flowRuleCookie(spec, owner)}`,
  // A new cookie or bridge is another rule: the old one is deleted, the new one created.
  replaceOn: ["bridge", "cookie"],
  readLive: (host, spec, owner) => readFlows(host, spec.bridge, flowRuleCookie(spec, owner), [spec.table], [flowOf(spec)]),
  plan: planFlowRule,
  planDelete: planFlowRuleDelete,
  observe: observeFlowRule,
  emptyLive: (spec, ovs) => ({ bridge: flowBridgeOf(ovs, spec.bridge), flows: [] }),
};
