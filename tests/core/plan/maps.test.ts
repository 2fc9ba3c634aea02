import { strict as assert } from "node:assert";
import { pickKeys, planMap, sameList } from "../../../core/plan/maps";

describe("planMap", () => {
  it("sets keys whose values differ and removes only keys we declared before and no longer declare", () => {
    assert.deepEqual(planMap({ a: "1", b: "2" }, { a: "1", b: "0", c: "theirs", old: "x" }, { old: "x", gone: "y" }), {
      set: { b: "2" },
      remove: ["old"],
    });
  });
});

describe("pickKeys and sameList", () => {
  it("shows only the declared keys the host has", () => {
    assert.deepEqual(pickKeys({ a: "1", theirs: "2" }, { a: "9", missing: "3" }), { a: "1" });
  });

  it("compares lists in order, a missing list as empty", () => {
    assert.equal(sameList([1, 2], [1, 2]), true);
    assert.equal(sameList([1, 2], [2, 1]), false);
    assert.equal(sameList(undefined, []), true);
  });
});
