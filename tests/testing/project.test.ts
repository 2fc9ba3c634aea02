import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LabError } from "../../testing";
import { readProject, readStackConfig, SECRET_PLACEHOLDER } from "../../testing/project";

describe("reading a Pulumi project directory", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-project-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes the name, the main entry and config defaults qualified by the project, as strings", () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      [
        "name: lab",
        "runtime: nodejs",
        "main: src/",
        "config:",
        "  datapathType: { type: string, default: netdev }",
        "  ovslab:port: { value: 2222 }",
        "  tenants: { default: [a, b] }",
      ].join("\n"),
    );
    const project = readProject(dir);
    assert.equal(project.name, "lab");
    assert.equal(project.main, path.join(dir, "src"));
    assert.deepEqual(project.defaults, {
      "lab:datapathType": "netdev",
      "ovslab:port": "2222",
      "lab:tenants": '["a","b"]',
    });
  });

  it("reads Pulumi.<stack>.yaml and replaces secure values by a placeholder it marks secret", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: lab\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      "config:\n  ovslab:host: 192.0.2.9\n  ovslab:privateKey:\n    secure: v1:abc\n  count: 3\n",
    );
    const config = readStackConfig(readProject(dir), "dev");
    assert.deepEqual(config, {
      config: { "ovslab:host": "192.0.2.9", "ovslab:privateKey": SECRET_PLACEHOLDER, "lab:count": "3" },
      secretKeys: ["ovslab:privateKey"],
    });
    assert.deepEqual(readStackConfig(readProject(dir), "prod"), { config: {}, secretKeys: [] });
  });

  it("says what is wrong with a directory that is not a Node Pulumi project", () => {
    assert.throws(() => readProject(dir), (e: unknown) => e instanceof LabError && /no Pulumi.yaml/.test(e.message));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: lab\nruntime: python\n");
    assert.throws(() => readProject(dir), /runtime must be nodejs/);
  });
});
