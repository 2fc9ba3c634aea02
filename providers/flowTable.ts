// FlowTable: many OpenFlow rules on one bridge, one cookie, one bundle; wired for the CRUD.
import { flowTableSpec, FlowTableSpec } from "../core/schema/flow";
import { flowBridgeOf, LiveFlows } from "../core/live/flows";
import { flowTableCookie, observeFlowTable, planFlowTable, planFlowTableDelete } from "../core/plan/flowTable";
import { KindDefinition } from "./kind";
import { readFlows } from "./flowRead";

export const flowTableKind: KindDefinition<FlowTableSpec, LiveFlows> = {
  title: "FlowTable",
  schema: flowTableSpec,
  idOf: (spec, owner) => `${spec.bridge}/cookie=${flowTableCookie(spec, owner)}`,
  replaceOn: ["bridge", "cookie"],
  readLive: (host, spec, owner) => readFlows(host, spec.bridge, flowTableCookie(spec, owner), spec.flows.map((f) => f.table), spec.flows),
  plan: planFlowTable,
  planDelete: planFlowTableDelete,
  observe: observeFlowTable,
  emptyLive: (spec, ovs) => ({ bridge: flowBridgeOf(ovs, spec.bridge), flows: [] }),
};
