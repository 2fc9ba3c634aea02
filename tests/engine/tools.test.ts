import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEnvFile, repoRoot } from "../../engine/tools";
import { projectName } from "../../engine/cliStack";

describe("engine tools", () => {
  it("reads KEY=VALUE lines and skips comments and blank lines", () => {
    const vars = parseEnvFile("# written by setup\n\nOVSLAB_PULUMI_BIN=/a/b/bin\nOVSLAB_PATH_PREFIX=/x:/y\n");
    assert.deepEqual(vars, { OVSLAB_PULUMI_BIN: "/a/b/bin", OVSLAB_PATH_PREFIX: "/x:/y" });
  });

  it("finds the checkout from any directory inside it", () => {
    const repo = repoRoot(path.join(__dirname, "..", ".."));
    assert.equal(repoRoot(__dirname), repo);
    assert.equal(JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).name, "ovslab");
  });

  it("reads the project name of the example's Pulumi.yaml and of the root one that runs it", () => {
    assert.equal(projectName(path.join(repoRoot(), "examples", "openstack-aio")), "openstack-aio");
    assert.equal(projectName(repoRoot()), "openstack-aio");
  });
});
