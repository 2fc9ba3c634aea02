// The dynamic-provider plugin (scripts/engine-bin/pulumi-resource-pulumi-nodejs) as the
// engine starts it, without an engine: it loads @pulumi/pulumi and stops at the missing
// engine address. A preload reports, as the process exits, what its memory depends on:
// TypeScript not loaded (~40 MiB) yet still there on first use, and the V8 flags.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../engine/tools";

const PRELOAD = `
process.on("exit", () => {
  const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(k));
  const before = loaded();
  const shim = require(require.resolve("@pulumi/pulumi/typescript-shim", { paths: [process.cwd()] }));
  const kind = typeof shim.SyntaxKind.FunctionDeclaration;
  process.stderr.write("REPORT" + JSON.stringify({ before, after: loaded(), kind, execArgv: process.execArgv }) + "\\n");
});
`;

describe("the dynamic-provider plugin process", () => {
  it("loads TypeScript only when used, and runs V8 with a small young generation and a slow-growing heap", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-plugin-"));
    try {
      const preload = path.join(dir, "preload.js");
      fs.writeFileSync(preload, PRELOAD);
      const run = spawnSync("sh", [path.join(repoRoot(), "scripts", "engine-bin", "pulumi-resource-pulumi-nodejs")], {
        cwd: repoRoot(),
        env: { ...process.env, OVSLAB_NODE: process.execPath, NODE_OPTIONS: `--require ${preload}` },
        encoding: "utf8",
        timeout: 60_000,
      });
      assert.match(run.stderr, /Missing <engine> address/); // it got as far as the SDK's own script
      const line = run.stderr.split("\n").find((l) => l.startsWith("REPORT"));
      assert.ok(line, run.stderr);
      const report = JSON.parse(line.slice("REPORT".length));
      assert.equal(report.before, false, "typescript was loaded with @pulumi/pulumi");
      assert.equal(report.after, true);
      assert.equal(report.kind, "number");
      assert.deepEqual(
        report.execArgv.filter((a: string) => /semi-space|heap-growing/.test(a)),
        ["--max-semi-space-size=4", "--heap-growing-percent=50"],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
