// FlowTable: many OpenFlow rules on one bridge, one cookie, one bundle.
import { FlowTableArgs, flowTableSpec, FlowTableSpec } from "../schema/flow";
import { documented } from "../schema/documented";
import { flowBridgeOf, LiveFlows } from "../live/flows";
import { flowTableCookie, observeFlowTable, planFlowTable, planFlowTableDelete } from "../plan/flowTable";
import { KindDefinition } from "./kind";
import { readFlows, readFlowsAfter } from "./flowRead";

export const flowTableKind: KindDefinition<FlowTableSpec, LiveFlows, "flowTable"> = {
  key: "flowTable",
  title: "FlowTable",
  order: 3,
  schema: documented<FlowTableArgs>()(flowTableSpec),
  idOf: (spec, owner) => `${spec.bridge}/cookie=${flowTableCookie(spec, owner)}`,
  replaceOn: ["bridge", "cookie"],
  read: (spec, owner) =>
    readFlows(
      spec.bridge,
      flowTableCookie(spec, owner),
      spec.flows.map((f) => f.table),
      spec.flows,
    ),
  readAfter: (spec, owner, ops, before) =>
    readFlowsAfter(spec.bridge, flowTableCookie(spec, owner), ops, before, () => flowTableKind.read(spec, owner)),
  plan: planFlowTable,
  planDelete: planFlowTableDelete,
  observe: observeFlowTable,
  emptyLive: (spec, ovs) => ({ bridge: flowBridgeOf(ovs, spec.bridge), flows: [] }),
  graph: {
    bridges: (spec) => [spec.bridge],
    flows: (spec) => spec.flows.map((flow) => ({ bridge: spec.bridge, flow })),
  },
};
