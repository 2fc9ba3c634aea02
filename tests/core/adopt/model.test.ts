import { strict as assert } from "node:assert";
import { globMatches, Names, parseMark, whose } from "../../../core/adopt/model";

const options = { bridges: [], netns: [], cookies: [], owner: "lab/dev" };

describe("parseMark", () => {
  it("reads project/stack/Type/name, a name may hold slashes; anything else is no mark", () => {
    assert.deepEqual(parseMark("lab/dev/RouterNamespace/r/1"), {
      stack: "lab/dev",
      type: "RouterNamespace",
      name: "r/1",
    });
    assert.equal(parseMark("lab/dev/Bridge"), undefined);
    assert.equal(parseMark("//Bridge/x"), undefined);
    assert.equal(parseMark(undefined), undefined);
  });
});

describe("whose", () => {
  it("tells the program's own marks from another stack's and from none", () => {
    assert.deepEqual(whose("lab/dev/Bridge/br-int", options), {
      own: { stack: "lab/dev", type: "Bridge", name: "br-int" },
    });
    assert.deepEqual(whose("lab/prod/Bridge/br-int", options), { foreign: "lab/prod/Bridge/br-int" });
    assert.deepEqual(whose("lab/dev/Bridge/br-int", { ...options, owner: undefined }), {
      foreign: "lab/dev/Bridge/br-int",
    });
    assert.deepEqual(whose(undefined, options), { free: true });
    assert.deepEqual(whose("", options), { free: true });
  });
});

describe("globMatches", () => {
  it("matches * against any run of characters and everything else literally", () => {
    assert.ok(globMatches("qrouter-*", "qrouter-f446"));
    assert.ok(globMatches("*", ""));
    assert.ok(!globMatches("qrouter-*", "qdhcp-1"));
    assert.ok(!globMatches("a.b", "axb"), "a dot is a dot");
    assert.ok(globMatches("vm-(1)", "vm-(1)"));
  });
});

describe("Names", () => {
  it("hands out a name once and numbers the repeats", () => {
    const names = new Names();
    assert.deepEqual(
      ["t", "t", "t", "u"].map((n) => names.claim(n)),
      ["t", "t-2", "t-3", "u"],
    );
  });
});
