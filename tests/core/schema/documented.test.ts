// Docs and validation cannot drift: `Drift` finds each field on one side only. The
// lines marked ts-expect-error fail `tsc -p .` (run by `npm test` and `npm run build`) the day
// Drift stops catching their case; the tests below compile a program and read the errors.
import { strict as assert } from "node:assert";
import { z } from "zod";
import { documented, Drift, NoDrift } from "../../../core/schema/documented";
import { typecheck } from "../../support/typecheck";

interface Args {
  /** A field. */
  a: string;
  /** A list of objects. */
  list?: Array<{ /** An element's field. */ x: string }>;
  /** A map: its keys are data, not fields. */
  labels?: Record<string, string>;
}
const agreeing = z.object({
  a: z.string(),
  list: z.array(z.object({ x: z.string() })).optional(),
  labels: z.record(z.string(), z.string()).default({}),
});
type Input = z.input<typeof agreeing>;

export type Agree = NoDrift<Drift<Args, Input>>;
// @ts-expect-error a schema field the args do not document
export type Extra = NoDrift<Drift<Args, Input & { b: number }>>;
// @ts-expect-error a documented field the schema does not have
export type Dropped = NoDrift<Drift<Args & { gone?: string }, Input>>;
// @ts-expect-error a schema field inside an array's elements
export type Nested = NoDrift<Drift<Args, Omit<Input, "list"> & { list?: Array<{ x: string; y: string }> }>>;

const SNIPPET = `import { z } from "zod";
import { documented } from "../../../core/schema/documented";
interface Args { a: string; gone?: number; list?: Array<{ x: string }> }
const list = z.array(z.object({ x: z.string(), y: z.string() }));
export const spec = documented<Args>()(z.object({ a: z.string(), b: z.number(), list }));
`;

describe("documented", function () {
  this.timeout(60_000);

  it("refuses to compile a schema and args that differ, naming each field in either direction and at any depth", () => {
    const errors = typecheck(["tests/core/schema/snippet.ts"], { "tests/core/schema/snippet.ts": SNIPPET });
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /^tests\/core\/schema\/snippet\.ts: /);
    for (const field of [
      "b: in the schema, not documented",
      "gone: documented, not in the schema",
      "list[].y: in the schema, not documented",
    ]) {
      assert.ok(errors[0].includes(field), `${field} in ${errors[0]}`);
    }
  });

  it("compiles when they agree, and returns the schema itself", () => {
    const ok = SNIPPET.replace("gone?: number; ", "b: number; ").replace("{ x: string }", "{ x: string; y: string }");
    assert.deepEqual(typecheck(["tests/core/schema/snippet.ts"], { "tests/core/schema/snippet.ts": ok }), []);
    assert.equal(documented<Args>()(agreeing), agreeing);
  });
});
