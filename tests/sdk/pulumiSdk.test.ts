import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveSdk } from "../../sdk/pulumiSdk";

describe("the program's Pulumi SDK", () => {
  it("comes from the program's directory, not from beside ovslab (a linked checkout has its own copy)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-sdk-"));
    try {
      const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi");
      fs.mkdirSync(sdk, { recursive: true });
      fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", main: "index.js" }));
      fs.writeFileSync(path.join(sdk, "index.js"), "");
      assert.equal(resolveSdk("@pulumi/pulumi", dir), fs.realpathSync(path.join(sdk, "index.js")));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("falls back to ovslab's own copy outside any project", () => {
    assert.equal(resolveSdk("@pulumi/pulumi", os.tmpdir()), require.resolve("@pulumi/pulumi"));
  });
});
