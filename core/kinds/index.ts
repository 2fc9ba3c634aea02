// The registry: every resource kind, by the key stored in Pulumi state. Adding a kind is
// one line here (docs/ARCHITECTURE.md, "Adding a resource kind"); a definition that lacks
// a piece, or whose key differs from its line's, fails to compile.
import { KindDefinition } from "./kind";
import { bridgeKind } from "./bridge";
import { patchPairKind } from "./patchPair";
import { flowRuleKind } from "./flowRule";
import { flowTableKind } from "./flowTable";
import { routerNamespaceKind } from "./routerNamespace";

/** Checks each definition against its key, keeping the definitions' own types. */
function registry<R extends { [K in keyof R]: KindDefinition<any, any, K & string> }>(definitions: R): R {
  return definitions;
}

export const kinds = registry({
  bridge: bridgeKind,
  patchPair: patchPairKind,
  flowRule: flowRuleKind,
  flowTable: flowTableKind,
  routerNamespace: routerNamespaceKind,
});

export type Kind = keyof typeof kinds;
/** The validated spec of a kind (defaults applied, as the provider sees it). */
export type SpecOf<K extends Kind> = {
  [P in Kind]: (typeof kinds)[P] extends KindDefinition<infer Spec, any, P> ? Spec : never;
}[K];
/** A definition of any kind, as code that handles every kind alike sees it. */
export type AnyKind = KindDefinition<any, any, Kind>;

export const KINDS = Object.keys(kinds) as Kind[];

/** Kinds in creation order (bridges first, flows last), the registry's order within one. */
export const KINDS_IN_ORDER: readonly Kind[] = [...KINDS].sort((a, b) => kinds[a].order - kinds[b].order);

/** The definition of `key`, or undefined for a key no kind has (state written by a newer ovslab). */
export function kindOf(key: string): AnyKind | undefined {
  return Object.hasOwn(kinds, key) ? (kinds[key as Kind] as AnyKind) : undefined;
}
