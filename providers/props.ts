// The shape of a resource's inputs and outputs in Pulumi state: the spec's own fields,
// flat (so `preview --diff` names them), plus the connection and the owner mark.
import { ConnectionArgs } from "../transport/connection";

export interface ResourceProps {
  connection: ConnectionArgs;
  /** `<project>/<stack>/<resource name>`, stamped on everything the resource creates. */
  owner: string;
  [field: string]: unknown;
}

export function splitProps(props: Record<string, unknown>): {
  spec: Record<string, unknown>;
  connection: unknown;
  owner: unknown;
} {
  const { connection, owner, __provider: _provider, ...spec } = props;
  return { spec, connection, owner };
}

/** Pulumi's placeholder for a value not known until apply (preview only). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Structural equality of JSON-like values; key order does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as any)[k], (b as any)[k]));
  }
  return false;
}
