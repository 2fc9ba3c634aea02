// The provider object Pulumi serializes into state. Each method only forwards to the
// package's entry point, required by NAME at call time: no captured module, client or
// schema (closure serialization would copy or choke on them), no absolute path.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { Kind } from "../core/kinds";

const perKind = new Map<Kind, dynamic.ResourceProvider>();

/**
 * The provider of `kind`: one object per kind for the whole program, since the SDK caches
 * a provider's serialization by object, and serializing costs ~10 ms of CPU each time
 * (a 200-namespace lab spent ~2 s of its program on it, once per resource).
 */
export function dynamicProvider(kind: Kind): dynamic.ResourceProvider {
  let provider = perKind.get(kind);
  if (!provider) perKind.set(kind, (provider = forward(kind)));
  return provider;
}

function forward(kind: Kind): dynamic.ResourceProvider {
  return {
    check: (olds: any, news: any) => require("ovslab/provider").call(kind, "check", olds, news),
    diff: (id: string, olds: any, news: any) => require("ovslab/provider").call(kind, "diff", id, olds, news),
    create: (inputs: any) => require("ovslab/provider").call(kind, "create", inputs),
    read: (id: string, props: any) => require("ovslab/provider").call(kind, "read", id, props),
    update: (id: string, olds: any, news: any) => require("ovslab/provider").call(kind, "update", id, olds, news),
    delete: (id: string, props: any) => require("ovslab/provider").call(kind, "delete", id, props),
  };
}
