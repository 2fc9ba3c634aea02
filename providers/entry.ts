// The one entry point that serialized providers call: `call(kind, method, ...args)`.
// Pulumi stores each provider's code in state and runs THAT code on refresh/destroy, so
// this surface must stay tiny and stable across versions (docs/ARCHITECTURE.md). Never rename it.
import { Kind, kindOf } from "../core/kinds";
import * as crud from "./crud";

/** Methods the serialized provider forwards; the entry point's whole, stable surface. */
export type Method = "check" | "diff" | "create" | "read" | "update" | "delete";

export async function call(kind: Kind, method: Method, ...args: any[]): Promise<any> {
  const definition = kindOf(kind);
  if (!definition) throw new Error(`ovslab: unknown resource kind "${kind}" (state written by a newer ovslab?)`);
  switch (method) {
    case "check":
      return crud.check(definition, args[1]);
    case "diff":
      return crud.diff(definition, args[1], args[2]);
    case "create":
      return crud.create(definition, args[0]);
    case "read":
      return crud.read(definition, args[0], args[1]);
    case "update":
      return crud.update(definition, args[1], args[2]);
    case "delete":
      return crud.remove(definition, args[1]);
    default:
      throw new Error(`ovslab: unknown provider method "${method}"`);
  }
}
