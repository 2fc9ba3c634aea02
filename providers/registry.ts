// Every kind's definition, by kind name. A kind added to KINDS but not here fails to compile.
import { Kind } from "./kinds";
import { KindDefinition } from "./kind";
import { bridgeKind } from "./bridge";
import { patchPairKind } from "./patchPair";
import { flowRuleKind } from "./flowRule";
import { flowTableKind } from "./flowTable";
import { routerNamespaceKind } from "./router";

export const registry: Record<Kind, KindDefinition<any, any>> = {
  bridge: bridgeKind,
  patchPair: patchPairKind,
  flowRule: flowRuleKind,
  flowTable: flowTableKind,
  routerNamespace: routerNamespaceKind,
};
