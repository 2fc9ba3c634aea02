// The provider code Pulumi stores in state with every resource, as the text of a module.
// Each method only forwards to the package's entry point, required by NAME at call time:
// no captured module, client or schema, no absolute path.
//
// Written here rather than by Pulumi's closure serialization (`dynamic.Resource`), which
// wraps each of the six methods in a function of ~270 characters: 2.1 KB a resource,
// stored twice (inputs and outputs), in a state the engine writes whole after every step.
// In a 200-namespace lab that was half of each resource's bytes in state, and the CLI's
// CPU for those writes grew with them (13.7 CPU-s against the floor's 8.6).
import type { Kind } from "../core/kinds";
import type { Method } from "./entry";

const METHODS: readonly Method[] = ["check", "diff", "create", "read", "update", "delete"];

/** The text of `kind`'s provider module: `exports.handler()` returns its provider object. */
export function providerText(kind: Kind): string {
  const methods = METHODS.map((method) => `${method}: forward("${method}")`).join(", ");
  return [
    `const kind = ${JSON.stringify(kind)};`,
    `const forward = (method) => (...args) => require("ovslab/provider").call(kind, method, ...args);`,
    `exports.handler = () => ({ ${methods} });`,
    "",
  ].join("\n");
}
