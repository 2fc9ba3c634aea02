// The provider code ovslab stores in state: loaded as Pulumi's dynamic-provider host loads
// it, each method must reach the entry point by package name, and the text stays small.
import { strict as assert } from "node:assert";
import { providerText } from "../../providers/dynamic";
import { KINDS } from "../../core/kinds";
import { repoRoot } from "../../engine/tools";

/** What the dynamic-provider host does with a resource's `__provider`: `requireFromString(text).handler()`. */
function load(text: string): Record<string, (...args: any[]) => Promise<any>> {
  const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const requireFromString = require(require.resolve("require-from-string", { paths: [host] }));
  return requireFromString(text).handler();
}

describe("providerText", () => {
  for (const kind of KINDS) {
    it(`gives the ${kind} provider the six methods, by package name, in a few hundred bytes`, () => {
      const text = providerText(kind);
      assert.ok(text.length < 400, `the provider text is ${text.length} bytes`);
      assert.match(text, /require\("ovslab\/provider"\)/);
      assert.ok(!text.includes(repoRoot()), "no absolute path of the checkout");
      const provider = load(text);
      assert.deepEqual(Object.keys(provider), ["check", "diff", "create", "read", "update", "delete"]);
      assert.equal((provider as Record<string, unknown>).configure, undefined, "no configure for the host to call");
    });
  }

  it("forwards a call to the entry point with the kind and the method's arguments", async () => {
    const provider = load(providerText("bridge"));
    // check(olds, news): the entry point checks `news` as a Bridge, so the Bridge rule is named.
    const result = await provider.check({}, { name: "br;x", connection: { host: "10.0.0.5" }, owner: "p/s/Bridge/x" });
    assert.match(JSON.stringify(result.failures), /name: may contain only letters/);
    const tunnel = await load(providerText("tunnelPort")).check({}, { connection: { host: "10.0.0.5" } });
    assert.ok(tunnel.failures.length > 0, "another kind, another schema");
    assert.doesNotMatch(JSON.stringify(tunnel.failures), /may contain only letters/);
  });
});
