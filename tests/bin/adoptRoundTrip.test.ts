// `ovslab adopt` of a host the seed example built through `pulumi up`, with --owner: the
// program it prints plans the seed's own commands (`ovslab plan` of both compared).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { LabHost, startLabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { runCli, REPO } from "./cli";
import { removeState, scratchState, writesSince } from "../engine/support";
import { adoptArgv, code, projectWith, tsc } from "./adoptSupport";

/**
 * A plan script as blocks per resource, each flow bundle's lines sorted, blocks sorted; the
 * preamble (it names the directory) dropped. Only order is normalised: the adopted program
 * declares kind by kind and namespaces by name where the seed interleaves them, and OVS
 * dumps a table's flows highest priority first where the seed lists them in its own order.
 * Every command, its argv and its stdin lines stay as they are.
 */
function normalisedPlan(script: string): string[] {
  const blocks = script.split(/\n(?=# ==== )/).slice(1);
  const sortBundles = (block: string) =>
    block.replace(
      /(ovs-ofctl [^\n]*--bundle[^\n]*<<'OVSLAB_EOF'\n)([^]*?)(\nOVSLAB_EOF)/g,
      (_m, head: string, body: string, tail: string) => head + body.split("\n").sort().join("\n") + tail,
    );
  return blocks.map((b) => sortBundles(b.trim())).sort();
}

describe("ovslab adopt of the seed example built by pulumi up: the round trip @host", function () {
  this.timeout(300_000);
  const stackName = "adopt";
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  let program: string;
  let dir: string;

  before(async () => {
    lab = await startLabHost();
    state = scratchState("adopt");
    stack = await CliStack.open({ state, projectDir: path.join(REPO, "examples", "openstack-aio"), stackName });
    await stack.setConfig(hostConfig(lab.connection));
    await stack.up();
    await lab.resetCommandLog();
    // Its objects carry this stack's marks: --owner declares them as the program's own, under their marks' names.
    const cli = await runCli(
      adoptArgv(lab, "--owner", `openstack-aio/${stackName}`, "--bridge", "br-int", "--bridge", "br-ex"),
    );
    assert.equal(cli.code, 0, cli.stderr);
    program = cli.stdout;
    dir = projectWith(program, "openstack-aio");
  });

  after(async () => {
    try {
      await stack?.destroy([], { allowFailure: true });
    } finally {
      await lab?.stop();
      removeState(state);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads without writing, and declares nothing `adopt`: every object is the stack's own already", async () => {
    assert.deepEqual(await writesSince(lab), []);
    assert.ok(!/\badopt\b/.test(code(program)), program);
  });

  it("prints a program that tsc compiles with no error", async () => {
    assert.equal(await tsc(dir), "");
  });

  it("plans the very commands `ovslab plan` gives for the seed example (per resource, flows of a bundle in any order)", async () => {
    const seed = await runCli(["plan", path.join("examples", "openstack-aio"), "--stack", stackName]);
    const adopted = await runCli(["plan", dir, "--stack", stackName]);
    assert.equal(seed.code, 0, seed.stderr);
    assert.equal(adopted.code, 0, adopted.stderr);
    assert.ok(normalisedPlan(seed.stdout).length >= 11, "a block per resource");
    assert.deepEqual(normalisedPlan(adopted.stdout), normalisedPlan(seed.stdout));
  });
});
