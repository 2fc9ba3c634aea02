// FlowTable: many flows on one bridge as one resource, one cookie, one bundle.
import { Op } from "../shell";
import { flowSpec, FlowTableSpec, flowTableSpec } from "../schema/flow";
import { cookieOf } from "../openflow/cookie";
import { LiveFlows } from "../live/flows";
import { observeFlows, planFlows, planFlowsDelete } from "./flows";

export const FLOW_TABLE_COOKIE_KIND = "FlowTable";

export const flowTableCookie = (spec: FlowTableSpec, owner: string) => cookieOf(spec, FLOW_TABLE_COOKIE_KIND, owner);

export function planFlowTable(desired: FlowTableSpec, live: LiveFlows, owner: string): Op[] {
  return planFlows(desired.bridge, desired.flows, live, flowTableCookie(desired, owner), "FlowTable", desired.adopt);
}

export function planFlowTableDelete(spec: FlowTableSpec, live: LiveFlows, owner: string): Op[] {
  return planFlowsDelete(spec.bridge, live, flowTableCookie(spec, owner), "FlowTable");
}

/**
 * The table as the host has it: declared flows that are there, then any other flow of our
 * cookie as OVS prints it (those our schema refuses are left out, state must stay valid;
 * `diff` still sees them). Undefined only when the bridge is gone: an empty table is a
 * table (e.g. right after a fail_mode change flushed it).
 */
export function observeFlowTable(live: LiveFlows, reference: FlowTableSpec, owner: string): FlowTableSpec | undefined {
  const flows = observeFlows(reference.flows, live, flowTableCookie(reference, owner));
  if (!flows) return undefined;
  const observed = {
    ...reference,
    flows: [...flows.found, ...flows.extra.filter((f) => flowSpec.safeParse(f).success)],
  };
  return flowTableSpec.safeParse(observed).success ? observed : { ...reference, flows: flows.found };
}
