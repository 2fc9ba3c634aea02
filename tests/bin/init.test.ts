import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { init, initReport, versions } from "../../bin/init";

describe("ovslab init", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-init-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the project and takes versions from ovslab's own package.json", () => {
    const result = init(dir);
    assert.deepEqual(result.written.sort(), [
      ".gitignore",
      ".mocharc.json",
      ".npmrc",
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "test/lab.test.ts",
      "tsconfig.json",
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(manifest.dependencies["@pulumi/pulumi"], versions().pulumi);
    assert.match(initReport(dir, result), /npm install +# also brings Node 22/);
  });

  it("never overwrites a file that is there, and says which it kept", () => {
    fs.writeFileSync(path.join(dir, "index.ts"), "// mine\n");
    const result = init(dir);
    assert.equal(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), "// mine\n");
    assert.deepEqual(result.kept, ["index.ts"]);
    assert.deepEqual(init(dir).written, [], "a second run changes nothing");
  });
});
