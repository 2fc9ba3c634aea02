// Turns zod issues into messages that name the field and the rule, all of them at once:
// `ports[2].tag: must be 0-4095`. Used by `check` in providers and by the SDK up front.
import { z } from "zod";

export interface FieldProblem {
  /** Dotted path into the spec, e.g. `ports[2].tag`; empty for the whole object. */
  path: string;
  rule: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    // A map key the user wrote may hold anything: quoted (escaped) unless it reads plainly.
    else if (!/^[A-Za-z0-9_.\/-]+$/.test(String(key))) out += `[${shownValue(String(key))}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

// JSON escapes C0 controls and lone surrogates; these too, so a terminal gets none of them.
const escapeRest = (text: string) =>
  text.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** What a user wrote, as a message quotes it: JSON (control bytes escaped), cut at 80 characters. */
export function shownValue(value: unknown): string {
  if (typeof value === "string") {
    if (value.length <= 80) return escapeRest(JSON.stringify(value));
    return `${escapeRest(JSON.stringify(value.slice(0, 80))).slice(0, -1)}…" (${value.length} characters)`;
  }
  let text: string;
  try {
    text = escapeRest(JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value); // a cycle or a BigInt
  }
  return text.length <= 80 ? text : `${text.slice(0, 80)}… (${text.length} characters)`;
}

/** The value at a zod path in the input, or undefined. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The field names of the object schema at `path` (through optionals, defaults, pipes, arrays, records). */
function fieldsAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  type Def = { innerType?: z.ZodType; in?: z.ZodType };
  const unwrap = (s: z.ZodType) => {
    for (let def = s.def as Def; def.innerType || def.in; def = s.def as Def) s = (def.innerType ?? def.in)!;
    return s;
  };
  let s: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(key)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return [];
    if (!s) return [];
    s = unwrap(s);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Levenshtein distance: how many one-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The known field a mistyped one most likely meant: same letters in another case, or a typo or two away. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const same = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (same) return same;
  const scored = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  return scored[0] && scored[0].d <= Math.max(1, Math.floor(key.length / 4)) ? scored[0].k : undefined;
}

/** A rule as a terminal gets it: rules may quote what the user wrote, so controls are escaped and length cut. */
function plainRule(rule: string): string {
  const text = escapeRest(rule.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1)));
  return text.length <= 400 ? text : `${text.slice(0, 300)}… (${text.length} characters)`;
}

/**
 * One problem per field: the path, the rule, and what was given (`ports[2].tag: must be
 * 0-4095, got 5000`), a mistyped field with the one it likely meant. `values: false`
 * leaves the value out (a connection's fields may be secrets).
 */
export function problemsOf(
  error: z.ZodError,
  input?: unknown,
  schema?: z.ZodType,
  values = input !== undefined,
): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === "unrecognized_keys") {
      const known = schema ? fieldsAt(schema, issue.path) : [];
      return issue.keys.map((key) => {
        const meant = didYouMean(key, known);
        return {
          path: formatPath([...issue.path, key]),
          rule: `unknown field${meant ? `; did you mean ${meant}?` : ""}`,
        };
      });
    }
    // A map key that broke a rule: zod's own message is "Invalid key in record"; the key is in the path.
    const badKey = issue.code === "invalid_key";
    const rule = plainRule(badKey && issue.issues[0] ? issue.issues[0].message : issue.message);
    const value = badKey ? undefined : valueAt(input, issue.path);
    const quoted = typeof value === "string" && rule.includes(JSON.stringify(value)); // `duplicates port "ok"`
    if (!values || quoted || value === undefined || (value !== null && typeof value === "object")) {
      return [{ path: formatPath(issue.path), rule }];
    }
    const length =
      typeof value === "string" && /\b(bytes|characters)\b/.test(rule)
        ? ` (${new TextEncoder().encode(value).length} bytes)`
        : "";
    return [
      {
        path: formatPath(issue.path),
        rule: `${rule}, got ${shownValue(value)}${String(value).length > 80 ? "" : length}`,
      },
    ];
  });
}

export function formatProblem(p: FieldProblem): string {
  return p.path ? `${p.path}: ${p.rule}` : p.rule;
}

/** Invalid input: every problem, each on its own line, under what was being checked. */
export class ValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: FieldProblem[],
  ) {
    super(`invalid ${subject}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join("\n"));
    this.name = "ValidationError";
  }
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

// JavaScript's own names: zod drops an own `__proto__` key without a word, and
// `constructor` is found in every object (a key removed from a map would seem still there).
const OBJECT_INTERNALS = ["__proto__", "constructor", "prototype"];

/** Every own key of the input, at any depth, that is one of JavaScript's own names. */
function internalKeys(input: unknown, path: PropertyKey[] = [], seen = new Set<unknown>()): FieldProblem[] {
  if (!input || typeof input !== "object" || seen.has(input)) return [];
  seen.add(input);
  return Object.keys(input).flatMap((key) => [
    ...(OBJECT_INTERNALS.includes(key)
      ? [
          {
            path: formatPath([...path, key]),
            rule: `keys may not be ${OBJECT_INTERNALS.join(", ")} (JavaScript's own names)`,
          },
        ]
      : []),
    ...internalKeys((input as Record<string, unknown>)[key], [...path, Array.isArray(input) ? Number(key) : key], seen),
  ]);
}

/** `values: true` quotes what was given in each problem (for the user; never for secrets). */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { values?: boolean } = {},
): Validated<z.output<S>> {
  const internals = internalKeys(input);
  const result = schema.safeParse(input);
  if (result.success && !internals.length) return { ok: true, value: result.data };
  const problems = result.success ? [] : problemsOf(result.error, input, schema, options.values ?? false);
  const paths = new Set(internals.map((p) => p.path));
  return { ok: false, problems: [...internals, ...problems.filter((p) => !paths.has(p.path))] };
}

/** Parses or throws a ValidationError naming `subject` (e.g. `Bridge "br-int"`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = validate(schema, input, { values: true });
  if (!result.ok) throw new ValidationError(subject, result.problems);
  return result.value;
}
