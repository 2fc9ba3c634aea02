// Flows OVS takes only in OpenFlow 1.0 (NXM). OpenFlow 1.1+ checks an action's
// prerequisites against the match (pop_vlan needs a VLAN, ct() needs ip or ipv6,
// set_field:...->ip_dst needs ip); OpenFlow 1.0 did not. ovslab writes every change in an
// OpenFlow 1.4 bundle, which is what makes it atomic, so such flows are refused with the
// reason and the OpenFlow 1.4 way to write them, rather than written without atomicity.
import { parseMatch } from "./match";
import { OF14_RULE, parseActions } from "./actions";
import { clip } from "./syntax";

interface FlowText {
  table: number;
  match: string;
  actions: string;
}

/** OVS's "no usable protocol" for one flow, in words that say what to change. */
export function openFlow10Only(flow: FlowText | undefined): string {
  const base =
    "Open vSwitch takes this flow only in OpenFlow 1.0 (none of the usable flow formats is OpenFlow 1.4); " +
    "ovslab writes flows in OpenFlow 1.4 bundles, which make every change atomic";
  if (!flow) return base;
  const match = parseMatch(flow.match);
  const actions = parseActions(flow.actions, { match, table: flow.table });
  const why = actions.problems.find((p) => p.includes(OF14_RULE));
  if (!why)
    return `${base}. Check each action's prerequisites in ovs-actions(7): the match must select what it acts on`;
  return `${base}. In OpenFlow 1.4: ${clip(why.replace(` (${OF14_RULE})`, ""), 200)}`;
}
