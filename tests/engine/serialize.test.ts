// The provider object Pulumi stores in state: closure serialization must accept it, and
// what it writes must stay small, name our package instead of a path, and hold no secret.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { dynamicProvider } from "../../providers/dynamic";
import { KINDS } from "../../core/kinds";
import { repoRoot } from "../../engine/tools";

describe("the serialized dynamic provider", () => {
  for (const kind of KINDS) {
    it(`serializes the ${kind} provider small, by package name, without a path of this checkout`, async () => {
      const provider = dynamicProvider(kind);
      const serialized = await pulumi.runtime.serializeFunction(() => provider);
      const text = serialized.text;
      assert.ok(text.length < 4096, `serialized provider is ${text.length} bytes`);
      assert.match(text, /require\("ovslab\/provider"\)/);
      assert.ok(!text.includes(repoRoot()), "no absolute path of the checkout");
      for (const method of ["check", "diff", "create", "read", "update", "delete"])
        assert.match(text, new RegExp(`${method}: __f\\d+`));
    });
  }
});

describe("dynamicProvider", () => {
  // The SDK caches a provider's serialization by object: a new object per resource would
  // serialize it again for every resource.
  it("returns one object per kind, so Pulumi serializes each kind's provider once", () => {
    for (const kind of KINDS) assert.equal(dynamicProvider(kind), dynamicProvider(kind));
    assert.notEqual(dynamicProvider(KINDS[0]), dynamicProvider(KINDS[1]));
  });
});
