// Schema pieces shared by every resource kind: names, VLAN ids, string maps.
import { z } from "zod";

const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * A Linux interface (and OVS port/bridge) name: 1-15 bytes (IFNAMSIZ - 1), letters,
 * digits, `_`, `.`, `-`. Stricter than the kernel on purpose: these names also appear in
 * OpenFlow text (`in_port=NAME`) and shell commands, where `/`, `:` or quotes would bite.
 */
export const interfaceName = z
  .string()
  .refine((s) => Buffer.byteLength(s) >= 1 && Buffer.byteLength(s) <= 15, {
    message: "must be 1-15 bytes (a Linux interface name)",
  })
  .refine((s) => IFNAME.test(s), {
    message: "may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'",
  });

export const vlanId = z
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be 0-4095")
  .max(4095, "must be 0-4095");

const MAP_KEY = /^[A-Za-z0-9_.-]+$/;
// Values go into OVSDB strings; control characters and newlines would break our own
// line-oriented parsing and the printed plan.
const MAP_VALUE = /^[^\x00-\x1f\x7f]*$/;

/** A UTF-16 surrogate with no partner: not a character, and not valid UTF-8 on the wire. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** Far above any real value, far below Linux's 128 KiB limit for one argument. */
export const MAX_VALUE_CHARACTERS = 4096;

/** A text value for a host: no control characters or newlines, whole characters only, not huge. */
export const hostText = z
  .string()
  .regex(MAP_VALUE, "values may not contain control characters or newlines")
  .refine((v) => !LONE_SURROGATE.test(v), "values may not contain a lone UTF-16 surrogate (not a character)")
  .refine((v) => v.length <= MAX_VALUE_CHARACTERS, `values may be at most ${MAX_VALUE_CHARACTERS} characters`);

/** An OVSDB string map (external_ids, other_config, options). */
export const stringMap = z.record(
  z.string().regex(MAP_KEY, "keys may contain only letters, digits, '_', '.' and '-'"),
  hostText,
);

/** The external_ids key that marks what ovslab created, and for which resource. */
export const OWNER_KEY = "ovslab-owner";

/**
 * The external_ids key left on a bridge its owner deleted but kept for someone else's ports
 * or flows: who kept it, so that owner (and only it) can take it back.
 */
export const KEPT_KEY = "ovslab-kept-by";

/** The argument every kind takes to take over, in place, what a person or another tool built. */
export interface AdoptArgs {
  /**
   * Take over, in place, the objects of the declared names that carry no ovslab mark (a host built by hand):
   * the first `up` writes our marks and changes nothing else where the host already matches. Objects marked by
   * another owner are still refused; nothing undeclared is touched. Once marked it has no effect. Default `false`.
   */
  adopt?: boolean;
}

export const adoptField = z.boolean({ message: "must be true or false" }).optional();

/** Who owns an object: `<project>/<stack>/<resource name>`, stamped into external_ids. */
export const ownerSchema = z
  .string()
  .min(1, "must not be empty")
  .regex(/^[^\x00-\x1f\x7f"\\]+$/, "may not contain control characters, quotes or backslashes");

/** Duplicates in a list of names, for "no duplicate port names" style rules. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}

/** An enum whose message lists what is allowed: `failMode: must be one of secure, standalone`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { message: `must be one of ${values.join(", ")}` });
}

/**
 * Refinement option: run cross-field rules even when a field failed, so one pass reports
 * every problem (zod skips refinements after any issue by default). Rules using it must
 * cope with fields of the wrong type.
 */
export const EVEN_IF_INVALID = { when: () => true } as const;
