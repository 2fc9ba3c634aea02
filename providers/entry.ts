// The one entry point that serialized providers call: `call(kind, method, ...args)`.
// Pulumi stores each provider's code in state and runs THAT code on refresh/destroy, so
// this surface must stay tiny and stable across versions (REFERENCE.md). Never rename it.
import { Kind, Method } from "./kinds";
import { registry } from "./registry";
import * as crud from "./crud";

export async function call(kind: Kind, method: Method, ...args: any[]): Promise<any> {
  const definition = registry[kind];
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
