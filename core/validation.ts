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
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), rule: issue.message }));
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

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}

/** Parses or throws a ValidationError naming `subject` (e.g. `Bridge "br-int"`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = validate(schema, input);
  if (!result.ok) throw new ValidationError(subject, result.problems);
  return result.value;
}
