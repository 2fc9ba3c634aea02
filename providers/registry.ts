// Every kind's definition, by kind name. A kind added to KINDS but not here fails to compile.
import { Kind } from "./kinds";
import { KindDefinition } from "./kind";
import { bridgeKind } from "./bridge";

export const registry: Record<Kind, KindDefinition<any, any>> = {
  bridge: bridgeKind,
};
