// A user's TypeScript project on `module: node16` (with `moduleResolution: node16`): the
// same tsconfig serves `tsc`, `loadLab` and `pulumi preview` through ovslab's language
// host, and a compile error shows TypeScript's own words (file, line, message) in each.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { startLabHost, LabHost } from "../../lab";
import { LabError, loadLab } from "../../testing";
import { scratchState, tearDown } from "./support";

const TSCONFIG = {
  compilerOptions: {
    module: "node16",
    moduleResolution: "node16",
    target: "ES2022",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ["index.ts"],
};

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Bridge, hostConnection } from "ovslab";

const bridge = new Bridge("br-node16", { connection: hostConnection(), datapathType: "netdev" });
export const name: pulumi.Output<string> = bridge.name;
`;

// Line 4 does not parse: ts-node refuses it even when it only transpiles.
const BROKEN = PROGRAM.replace('new Bridge("br-node16", {', 'new Bridge("br-node16", {{');

/** `tsc -p dir` with the checkout's TypeScript. */
function tsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, output: stdout + stderr }),
    );
  });
}

describe("a TypeScript project on module node16, through tsc, loadLab and pulumi preview @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  let dir: string;
  const write = (program: string) => fs.writeFileSync(path.join(dir, "index.ts"), program);

  before(async () => {
    lab = await startLabHost();
    state = scratchState("node16");
    // Inside the checkout's .ovslab/, so `ovslab`, the SDK, ts-node and typescript resolve.
    dir = path.join(state.dir, "project");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: node16\nruntime: nodejs\noptions:\n  refresh: always\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    write(PROGRAM);
    stack = await CliStack.open({ state, projectDir: dir, stackName: "node16" });
    await stack.setConfig(hostConfig(lab.connection));
  });

  after(() => tearDown(stack, lab, state));

  it("passes tsc with the project's tsconfig", async () => {
    const result = await tsc(dir);
    assert.equal(result.code, 0, result.output);
  });

  it("loads under mocks with loadLab", async () => {
    const loaded = await loadLab(dir, { config: { "ovslab:host": "192.0.2.7" } });
    assert.deepEqual(loaded.resources.map((r) => `${r.kind} ${r.name}`), ["bridge br-node16"]);
  });

  it("previews and comes up through the pulumi CLI (no TS5110: the tsconfig is used as it is)", async () => {
    const preview = await stack.preview([], { allowFailure: true });
    assert.equal(preview.code, 0, `${preview.stdout}\n${preview.stderr}`);
    assert.match(preview.stdout, /\+ .*ovslab:Bridge.*br-node16 +create/);
    await stack.up();
    assert.match(await lab.sh(["ovs-vsctl", "list-br"]), /^br-node16$/m);
  });

  describe("with a line that does not compile", () => {
    before(() => write(BROKEN));
    after(() => write(PROGRAM));

    it("tsc names the file, the line and TypeScript's message", async () => {
      const result = await tsc(dir);
      assert.notEqual(result.code, 0);
      assert.match(result.output, /index\.ts\(4,\d+\): error TS\d+: /);
    });

    it("loadLab shows TypeScript's error text: file, line and message", async () => {
      const error = await loadLab(dir).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof LabError, String(error));
      assert.match(error.problems.join("\n"), /index\.ts\(4,\d+\): error TS\d+: .+/);
    });

    it("pulumi preview shows TypeScript's error text once, without a stack trace", async () => {
      const preview = await stack.preview([], { allowFailure: true });
      const all = `${preview.stdout}\n${preview.stderr}`;
      assert.notEqual(preview.code, 0, all);
      const text = all.slice(all.indexOf("Diagnostics:")); // the progress lines echo it as it happens
      const diagnostic = /index\.ts\(4,\d+\): error TS\d+: [^\n]+/.exec(text);
      assert.ok(diagnostic, text);
      assert.equal(text.split(diagnostic[0]).length - 1, 1, `printed more than once:\n${text}`);
      assert.doesNotMatch(text, /^\s+at /m, text);
    });
  });
});
