// The `ovslab` command as a user runs it: a separate process, its stdout, stderr and exit
// code. No host: the program runs under mocks.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadLab } from "../../testing";
import { runCli, REPO } from "./cli";

const SEED = "examples/openstack-aio";
const program = (name: string) => path.join("tests", "bin", "programs", name);
const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, stderr);

describe("ovslab plan", function () {
  this.timeout(60_000);

  it("prints the seed lab as the bash script ovslab/testing builds: strict mode, then every resource", async () => {
    const { code, stdout, stderr } = await runCli(["plan", SEED]);
    assert.equal(code, 0, stderr);
    assert.ok(stdout.startsWith("#!/usr/bin/env bash\n"));
    assert.match(stdout, /^set -euo pipefail$/m);
    assert.equal(stdout, (await loadLab(path.join(REPO, SEED))).script(SEED));
    execFileSync("bash", ["-n"], { input: stdout }); // bash parses it
  });

  it("writes an executable script with --out", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-plan-"));
    try {
      const out = path.join(dir, "lab.sh");
      const { code, stdout } = await runCli(["plan", SEED, "--out", out]);
      assert.equal(code, 0);
      assert.equal(stdout, "");
      assert.ok(fs.statSync(out).mode & 0o100, "executable");
      assert.match(fs.readFileSync(out, "utf8"), /ovs-vsctl --may-exist add-br br-int/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports every invalid spec, one line per problem naming resource, field and rule, and exits 1", async () => {
    const { code, stdout, stderr } = await runCli(["plan", program("invalid-specs")]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.deepEqual(stderr.trim().split("\n"), [
      'ovslab: Bridge "br-bad": ports[0].tag: must be 0-4095, got 5000',
      'ovslab: FlowRule "bad-rule": priority: must be 0-65535, got 70000',
      'ovslab: FlowRule "bad-rule": actions: unknown action "frobnicate", got "frobnicate:1"',
    ]);
  });

  const broken: Array<[string, string, RegExp]> = [
    [
      "missing-bridge",
      "a flow on a bridge nothing declares",
      /^ovslab: FlowRule "tunnel-rule" \(planned for an empty host with this lab's bridges\): bridge br-tun does not exist on the host; create it first/,
    ],
    ["throws", "a program that throws", /^ovslab: the program failed: no tenants configured \(index\.js:6\)$/],
    [
      "missing-module",
      "a package that is not installed",
      /^ovslab: Cannot find module 'ovslab-extras-not-installed' \(index\.js:2\): is it installed/,
    ],
    [
      "missing-config",
      "config nobody set",
      /^ovslab: the program requires config missing-config:tenantCount: .*ovslab --config missing-config:tenantCount=VALUE/,
    ],
  ];
  for (const [name, what, message] of broken) {
    it(`explains ${what} in one line, without a stack trace, and exits 1`, async () => {
      const { code, stderr } = await runCli(["plan", program(name)]);
      assert.equal(code, 1, stderr);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.match(stderr.trim(), message);
      noStackTrace(stderr);
    });
  }

  it("takes config from --config, so the program above runs once it is given", async () => {
    const { code, stdout, stderr } = await runCli(["plan", program("missing-config"), "--config", "tenantCount=2"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /add-port br-int vm1 \\\n  -- set Port vm1 tag=101/);
  });

  it("prints a section per host for a program spanning hosts, and one host's script alone with --host", async () => {
    const all = await runCli(["plan", "examples/openstack-multinode"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.match(/^# ======== host .*$/gm), [
      "# ======== host root@network:22: 9 resources ========",
      "# ======== host root@compute-1:22: 8 resources ========",
      "# ======== host root@compute-2:22: 8 resources ========",
    ]);
    const one = await runCli(["plan", "examples/openstack-multinode", "--host", "compute-1"]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^# For host root@compute-1:22 only\.$/m);
    const titles = one.stdout.match(/^# ==== \w+ "[^"]+"/gm) ?? [];
    assert.equal(titles.length, 8);
    assert.deepEqual(
      titles.filter((t) => !/"(mesh-)?compute-1-/.test(t)),
      ['# ==== RouterNamespace "vm-a1"', '# ==== RouterNamespace "vm-b1"'],
    );
    const none = await runCli(["plan", "examples/openstack-multinode", "--host", "compute-3"]);
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr.trim(),
      'ovslab: no resource of this lab is on host "compute-3" (hosts: root@network:22, root@compute-1:22, root@compute-2:22)',
    );
  });

  it("exits 2 with the usage for a missing directory, an unknown command or option", async () => {
    for (const args of [
      [],
      ["plan"],
      ["deploy", SEED],
      ["plan", SEED, "--frobnicate"],
      ["plan", "tests/bin"],
      ["graph", SEED, "--host", "x"],
    ]) {
      const { code, stderr, stdout } = await runCli(args);
      assert.equal(code, 2, `ovslab ${args.join(" ")}`);
      assert.match(stderr + stdout, /usage:/);
    }
  });
});

describe("ovslab graph", function () {
  this.timeout(60_000);

  it("draws the seed lab as SVG by default: bridges, their ports and tags, the router", async () => {
    const { code, stdout: svg, stderr } = await runCli(["graph", SEED]);
    assert.equal(code, 0, stderr);
    assert.match(svg, /<svg/);
    const stdout = svg.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))); // Graphviz writes `-` as &#45;
    for (const text of [
      "br-int",
      "br-ex",
      "int-br-ex",
      "phy-br-ex",
      "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7",
      "tag 1",
      "strip_vlan,NORMAL",
    ]) {
      assert.ok(stdout.includes(text), `the picture shows ${text}`);
    }
  });

  it("prints Mermaid text with --mermaid and DOT with --dot", async () => {
    const mermaid = await runCli(["graph", SEED, "--mermaid"]);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /^%%\{init: .*\}%%\nflowchart LR\n/);
    assert.match(mermaid.stdout, /subgraph bridge_br_int\["br-int \(secure · netdev\)"\]/);
    const dot = await runCli(["graph", SEED, "--dot"]);
    assert.match(dot.stdout, /^digraph "openstack-aio\/dev" \{/);
  });

  it("runs from the built package without ts-node preloaded (a TypeScript program registers it)", async function () {
    const bin = path.join(REPO, "dist", "bin", "ovslab.js");
    assert.ok(fs.existsSync(bin), "npm test builds dist/ first");
    assert.ok(
      fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"),
      "the package bin starts with a shebang",
    );
    const out = execFileSync(
      path.join(REPO, "node_modules", ".bin", "node"),
      [bin, "graph", "examples/vlan-trunk", "--mermaid"],
      { cwd: REPO, encoding: "utf8" },
    );
    assert.match(out, /gw10<br\/>10\.0\.10\.1\/24/);
  });
});
