// FlowRule: one flow, owned through its cookie; the shared flow planner does the work.
import { Op } from "../shell";
import { FlowRuleSpec, flowRuleSpec, FlowSpec } from "../schema/flow";
import { cookieOf } from "../openflow/cookie";
import { LiveFlows } from "../live/flows";
import { observeFlows, planFlows, planFlowsDelete } from "./flows";

/** Salt of the derived cookie: a FlowRule and a FlowTable of the same name get different cookies. */
export const FLOW_RULE_COOKIE_KIND = "FlowRule";

export const flowRuleCookie = (spec: FlowRuleSpec, owner: string) => cookieOf(spec, FLOW_RULE_COOKIE_KIND, owner);

/** The rule as one flow of the shared planner. */
export function flowOf(spec: FlowRuleSpec): FlowSpec {
  const { table, priority, match, actions, idleTimeout, hardTimeout } = spec;
  return { table, priority, match, actions, idleTimeout, hardTimeout };
}

export function planFlowRule(desired: FlowRuleSpec, live: LiveFlows, owner: string): Op[] {
  return planFlows(desired.bridge, [flowOf(desired)], live, flowRuleCookie(desired, owner), "FlowRule", desired.adopt);
}

export function planFlowRuleDelete(spec: FlowRuleSpec, live: LiveFlows, owner: string): Op[] {
  return planFlowsDelete(spec.bridge, live, flowRuleCookie(spec, owner), "FlowRule");
}

/**
 * The rule as the host has it; undefined when no flow carries our cookie (deleted by hand,
 * or flushed by a fail_mode change), so refresh drops it and the next `up` adds it again.
 * A changed rule shows as OVS prints it; if that is text our schema refuses, the rule shows
 * as declared (state must stay valid) and only `diff`, which reads the host, sees the drift.
 */
export function observeFlowRule(live: LiveFlows, reference: FlowRuleSpec, owner: string): FlowRuleSpec | undefined {
  const flows = observeFlows([flowOf(reference)], live, flowRuleCookie(reference, owner));
  const flow = flows?.found[0] ?? flows?.extra[0];
  if (!flow) return undefined;
  const observed = { ...reference, ...flow };
  return flowRuleSpec.safeParse(observed).success ? observed : reference;
}
