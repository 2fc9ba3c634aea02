import { strict as assert } from "node:assert";
import { projectNameFrom, scaffoldFiles, scaffoldManifest, ScaffoldVersions } from "../../bin/scaffold";

const V: ScaffoldVersions = {
  ovslab: "^0.1.0", pulumi: "3.259.0", node: "^22.23.3", typescript: "~5.9.3", tsNode: "^10.9.2",
  mocha: "^11.7.0", typesMocha: "^10.0.10", typesNode: "^22.20.5",
};

describe("the ovslab init scaffold", () => {
  it("names the project after its directory, in the characters Pulumi allows", () => {
    assert.equal(projectNameFrom("my lab (test)"), "my-lab-test");
    assert.equal(projectNameFrom("..."), "lab");
  });

  it("adds ovslab, the Pulumi SDK and Node 22 to a new package.json", () => {
    const m = scaffoldManifest(undefined, "lab", V);
    assert.deepEqual(m.dependencies, { "@pulumi/pulumi": "3.259.0", ovslab: "^0.1.0" });
    assert.equal(m.devDependencies!.node, "^22.23.3");
    assert.deepEqual(m.scripts, { test: "mocha", build: "tsc --noEmit" });
  });

  it("keeps what the user's package.json already says, ovslab's install spec included", () => {
    const existing = {
      name: "mine",
      scripts: { test: "jest" },
      dependencies: { ovslab: "file:../ovslab-0.1.0.tgz" },
      devDependencies: { typescript: "5.4.0" },
    };
    const m = scaffoldManifest(existing, "mine", V);
    assert.equal(m.scripts!.test, "jest");
    assert.equal(m.dependencies!.ovslab, "file:../ovslab-0.1.0.tgz");
    assert.equal(m.devDependencies!.typescript, "5.4.0");
    assert.equal(m.name, "mine");
  });

  it("gives mocha a timeout that fits a first loadLab, and Pulumi.yaml a netdev default", () => {
    const files = scaffoldFiles("lab");
    assert.ok(JSON.parse(files[".mocharc.json"]).timeout >= 30_000);
    assert.match(files["Pulumi.yaml"], /^name: lab\nruntime: nodejs\n[\s\S]*default: netdev/);
    assert.equal(JSON.parse(files["tsconfig.json"]).compilerOptions.module, "commonjs");
    assert.equal(files[".npmrc"], "install-links=true\n");
  });
});
