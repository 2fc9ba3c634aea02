import { strict as assert } from "node:assert";
import { containsUnknown, sameValue, splitProps, UNKNOWN } from "../../providers/props";

describe("props", () => {
  it("splits the spec's own fields from the connection, the owner and Pulumi's __provider", () => {
    assert.deepEqual(splitProps({ name: "br0", connection: { host: "h" }, owner: "o", __provider: "x" }), {
      spec: { name: "br0" }, connection: { host: "h" }, owner: "o",
    });
  });

  it("finds Pulumi's unknown placeholder at any depth", () => {
    assert.equal(containsUnknown({ ports: [{ name: UNKNOWN }] }), true);
    assert.equal(containsUnknown({ ports: [{ name: "p" }] }), false);
  });

  it("compares JSON-like values by structure, ignoring key order and undefined fields", () => {
    assert.equal(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, d: undefined }), true);
    assert.equal(sameValue([1, 2], [2, 1]), false);
    assert.equal(sameValue({ a: 1 }, { a: "1" }), false);
  });
});
