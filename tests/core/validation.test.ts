import { strict as assert } from "node:assert";
import { z } from "zod";
import { formatPath, parseOrThrow, validate, ValidationError } from "../../core/validation";

describe("validation", () => {
  const schema = z.object({
    ports: z.array(z.object({ tag: z.number().max(4095, "must be 0-4095") })),
    name: z.string("must be a string"),
  });

  it("formats a path as the spec is written: ports[2].tag", () => {
    assert.equal(formatPath(["ports", 2, "tag"]), "ports[2].tag");
    assert.equal(formatPath([]), "");
  });

  it("reports every problem with its path and rule", () => {
    const result = validate(schema, { ports: [{ tag: 1 }, { tag: 5000 }] });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      { path: "ports[1].tag", rule: "must be 0-4095" },
      { path: "name", rule: "must be a string" },
    ]);
  });

  it("throws one error listing them all under what was checked", () => {
    assert.throws(() => parseOrThrow(schema, { ports: [{ tag: 5000 }] }, 'Bridge "br0"'), (e: Error) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(
        e.message,
        'invalid Bridge "br0":\n  ports[0].tag: must be 0-4095, got 5000\n  name: must be a string',
      );
      return true;
    });
  });
});
