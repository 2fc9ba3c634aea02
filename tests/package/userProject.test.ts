// ovslab as a user meets it: the package tarball (and, separately, the checkout as a
// directory) installed into a project that `ovslab init` wrote, in a temporary directory
// outside the repository, with this machine's Node (older than 22) first on PATH. The
// scaffold's mocks test, `tsc --noEmit`, `ovslab plan`, `ovslab graph`, `ovslab lab
// start|stop` and the real Pulumi CLI (up, preview with no change, destroy) all run there.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineTools, repoRoot } from "../../engine/tools";

const REPO = repoRoot();
// The machine's own tools only: no node_modules/.bin of the repository (npm test puts it first).
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface Ran {
  stdout: string;
  stderr: string;
  code: number;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd, env, maxBuffer: 64 << 20, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : 1) : 0 });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

async function ok(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<string> {
  const r = await run(file, args, cwd, env, stdin);
  assert.equal(r.code, 0, `${file} ${args.join(" ")} in ${cwd} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every copy of the Pulumi SDK in a project's tree. */
function sdkCopies(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (p.endsWith(path.join("@pulumi", "pulumi")) && fs.existsSync(path.join(p, "package.json"))) found.push(p);
      else if (entry.isDirectory()) walk(p);
    }
  };
  walk(path.join(dir, "node_modules"));
  return found;
}

/** Every file under a directory, read as text. */
function allText(dir: string): string {
  if (!fs.existsSync(dir)) return "";
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "latin1"))
    .join("\n");
}

describe("a user's own project, installed from the package @host", function () {
  this.timeout(600_000);
  let tmp: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  const fromTarball = () => path.join(tmp, "from-tarball");
  const fromDirectory = () => path.join(tmp, "from-directory");
  const ovslab = (dir: string, ...args: string[]) =>
    ok(path.join(dir, "node_modules", ".bin", "ovslab"), args, dir, env);
  const npm = (dir: string, ...args: string[]) => ok("npm", args, dir, env);
  /** `pulumi ARGS` in the project; a trailing object adds environment variables. */
  const pulumi = (dir: string, ...args: Array<string | Record<string, string>>) => {
    const words = args.filter((a): a is string => typeof a === "string");
    const extra = Object.assign({}, ...args.filter((a) => typeof a !== "string"));
    return run("pulumi", [...words, "--non-interactive", "--color", "never"], dir, { ...env, ...extra });
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-user-"));
    assert.ok(!path.relative(REPO, tmp).match(/^[^.]/), "the project lives outside the repository");
    // The Pulumi CLI as a user has it, with the plugins the package ships beside it
    // (a hard link: the CLI finds its plugins beside its own path).
    const cli = path.join(tmp, "cli");
    fs.mkdirSync(cli);
    fs.linkSync(path.join(engineTools().pulumiBin, "pulumi"), path.join(cli, "pulumi"));
    env = {
      PATH: `${cli}:${SYSTEM_PATH}`,
      HOME: process.env.HOME,
      npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), ".npm"),
      PULUMI_HOME: path.join(tmp, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "user-project-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      NO_COLOR: "1",
    };
    fs.mkdirSync(path.join(tmp, "state"));
    tarball = path.join(
      tmp,
      (await ok("npm", ["pack", "--pack-destination", tmp, "--ignore-scripts"], REPO, env)).trim().split("\n").pop()!,
    );
    for (const dir of [fromTarball(), fromDirectory()])
      await ok(process.execPath, [path.join(REPO, "dist", "bin", "ovslab.js"), "init", dir], tmp, env);
    // Offline from the npm cache the repository's own install filled; both at once.
    const install = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
    await Promise.all([npm(fromTarball(), ...install, tarball), npm(fromDirectory(), ...install, REPO)]);
    for (const f of fs.readdirSync(path.join(fromTarball(), "node_modules", "ovslab", "scripts", "engine-bin"))) {
      fs.copyFileSync(
        path.join(fromTarball(), "node_modules", "ovslab", "scripts", "engine-bin", f),
        path.join(cli, f),
      );
    }
  });

  after(async () => {
    for (const dir of [fromTarball(), fromDirectory()]) {
      if (fs.existsSync(path.join(dir, "node_modules", ".bin", "ovslab")))
        await run(path.join(dir, "node_modules", ".bin", "ovslab"), ["lab", "stop"], dir, env);
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ships compiled JavaScript, declarations, the command and the engine's plugins; no sources, tests or examples", async () => {
    const files = (await ok("tar", ["tzf", tarball], tmp, env)).trim().split("\n");
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
      [],
    );
    assert.deepEqual(
      files.filter((f) => /\/(tests|examples|bench|engine)\//.test(f)),
      [],
    );
    for (const f of [
      "package/dist/bin/ovslab.js",
      "package/dist/testing/index.d.ts",
      "package/scripts/engine-bin/pulumi-language-nodejs.js",
    ]) {
      assert.ok(files.includes(f), `${f} is missing from the package`);
    }
    assert.ok(files.length < 400, `${files.length} files`);
  });

  it("holds one copy of the Pulumi SDK, whether installed from the tarball or from the directory", () => {
    for (const dir of [fromTarball(), fromDirectory()])
      assert.deepEqual(sdkCopies(dir), [path.join(dir, "node_modules", "@pulumi", "pulumi")]);
  });

  it("passes the scaffold's own mocks test and tsc --noEmit, from either install", async () => {
    for (const dir of [fromTarball(), fromDirectory()]) {
      const test = await npm(dir, "test");
      assert.match(test, /3 passing/, test);
      await ok(path.join(dir, "node_modules", ".bin", "tsc"), ["--noEmit"], dir, env);
    }
  });

  it("plans and draws the scaffold's lab with ovslab plan and ovslab graph", async () => {
    const script = await ovslab(fromTarball(), "plan", ".");
    assert.match(script, /^ovs-vsctl --may-exist add-br br-int \\$/m);
    assert.match(script, /^# ==== RouterNamespace "qrouter-lab" ====$/m);
    const svg = await ovslab(fromTarball(), "graph", ".");
    assert.ok(
      svg.includes("<svg") && svg.trimEnd().endsWith("</svg>") && svg.includes("br&#45;int"),
      svg.slice(0, 200),
    );
  });

  it("says how to get Node 22 when neither PATH nor the project has it", async () => {
    const r = await run(path.join(tmp, "cli", "ovslab-node"), ["--version"], tmp, env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /@pulumi\/pulumi needs Node >= 22; .* In the project: npm install --save-dev node@22/);
  });

  it("brings the lab up on a lab host from `ovslab lab start`'s lines, previews no change, and destroys it", async () => {
    const dir = fromTarball();
    const lines = await ovslab(dir, "lab", "start");
    const config = lines.split("\n").filter((l) => l.startsWith("pulumi config set "));
    assert.equal(config.length, 5, lines);
    assert.equal((await pulumi(dir, "stack", "init", "dev")).code, 0);
    await ok("sh", ["-eu"], dir, env, config.join("\n") + "\n");
    // Asked for, `up` shows each command it runs, as `ovslab plan` prints it.
    const up = await pulumi(dir, "up", "--yes", "--skip-preview", { OVSLAB_SHOW_COMMANDS: "1" });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /\+ 5 created/);
    assert.match(up.stdout, /# create bridge br-int\n.*ovs-vsctl --may-exist add-br br-int \\\n/);
    const preview = await pulumi(dir, "preview", "--expect-no-changes");
    assert.equal(preview.code, 0, preview.stdout + preview.stderr);
    assert.match(preview.stdout, /5 unchanged/);
    const destroy = await pulumi(dir, "destroy", "--yes", "--skip-preview");
    assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
    assert.match(destroy.stdout, /- 5 deleted/);
  });

  it("keeps a private key the program passes as plain text out of the state, its backups and its history", async () => {
    const dir = fromDirectory();
    const started = JSON.parse(fs.readFileSync(path.join(fromTarball(), ".ovslab", "lab.json"), "utf8"));
    const key = fs.readFileSync(started.keyFile, "utf8");
    // The program reads the key file itself: a plain string, not a config secret.
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8").replace(
      "const connection = hostConnection();",
      `const connection = { host: "127.0.0.1", port: ${started.port}, user: "root", ` +
        `privateKey: require("node:fs").readFileSync(${JSON.stringify(started.keyFile)}, "utf8") as string, ` +
        `hostKey: ${JSON.stringify(started.connection.hostKey)} };`,
    );
    assert.notEqual(program, fs.readFileSync(path.join(dir, "index.ts"), "utf8"));
    fs.writeFileSync(path.join(dir, "index.ts"), program.replace(", hostConnection }", " }"));
    assert.equal((await pulumi(dir, "stack", "init", "plain")).code, 0);
    const up = await pulumi(dir, "up", "--yes", "--skip-preview");
    assert.equal(up.code, 0, up.stdout + up.stderr);
    const destroy = await pulumi(dir, "destroy", "--yes", "--skip-preview");
    assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
    const state = allText(path.join(tmp, "state", ".pulumi"));
    assert.match(state, /"ovslab-owner"|ovslab:Bridge/, "the state directory holds the stack's checkpoints");
    for (const line of key.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"))) {
      assert.ok(!state.includes(line), "a line of the private key is in the state directory");
      assert.ok(
        !up.stdout.includes(line) && !up.stderr.includes(line),
        "a line of the private key is in pulumi's output",
      );
    }
  });
});
