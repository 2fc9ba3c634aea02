// A no-op preview reads each host a fixed number of times, whatever the lab's size: one
// OVSDB read, one flow dump per bridge, one parse-flows per flow resource, and each
// namespace once (all of them in one command). Proven through the `pulumi` command on a
// throwaway host, from its command log: the seed example, then 20 and 60 VM namespaces.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { sortReads, writesIn } from "../support/commands";
import { scratchState, tearDown } from "./support";
import { writeProject } from "../../bench/scale/programs";
import { vmLab } from "../../bench/scale/shape";

async function noOpPreview(stack: CliStack, lab: LabHost) {
  await lab.resetCommandLog();
  const logins = await lab.sshLogins();
  const preview = JSON.parse((await stack.preview(["--json"])).stdout);
  assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
  const log = await lab.commandLog();
  return { ...sortReads(log), writes: writesIn(log), logins: (await lab.sshLogins()) - logins };
}

const kindOf = (argv: string[]) =>
  argv[0].endsWith("ovs-vsctl")
    ? "ovsdb"
    : argv.includes("parse-flows")
      ? "parse-flows"
      : argv.includes("dump-flows")
        ? `dump ${argv[argv.indexOf("dump-flows") + 1]}`
        : argv.join(" ");

describe("a no-op preview reads each host a fixed number of times @host", function () {
  this.timeout(900_000);
  let lab: LabHost;
  let state: StateDir;
  const stacks: CliStack[] = [];

  before(async () => {
    lab = await startLabHost();
    state = scratchState("reads");
  });

  after(async () => {
    for (const s of stacks.slice(1)) await s.destroy([], { allowFailure: true }).catch(() => undefined);
    await tearDown(stacks[0], lab, state);
  });

  it("the seed lab: one OVSDB read, one dump per bridge, one parse-flows per FlowTable, each namespace once", async () => {
    const stack = await CliStack.open({
      state,
      projectDir: path.join(repoRoot(), "examples", "openstack-aio"),
      stackName: "reads",
    });
    stacks.push(stack);
    await stack.setConfig(hostConfig(lab.connection));
    await stack.up();
    const seen = await noOpPreview(stack, lab);
    assert.deepEqual(seen.writes, []);
    assert.equal(seen.logins, 1);
    // The host's own links come with the namespaces' read, once.
    const expected = ["dump br-ex", "dump br-int", "ovsdb", "parse-flows", "parse-flows"];
    assert.deepEqual(seen.others.map(kindOf).sort(), expected);
    assert.deepEqual([...seen.namespaces.values()], [1, 1, 1, 1, 1, 1], JSON.stringify([...seen.namespaces]));
    await stack.destroy();
  });

  it("20 and then 60 VM namespaces on one br-int: the same reads besides one per namespace", async () => {
    const dir = writeProject(state.dir, "reads-vms", "ovslab", vmLab(20));
    const stack = await CliStack.open({ state, projectDir: dir, stackName: "reads" });
    stacks.push(stack);
    await stack.setConfig(hostConfig(lab.connection));
    const counts: number[][] = [];
    for (const count of [20, 60]) {
      writeProject(state.dir, "reads-vms", "ovslab", vmLab(count));
      await stack.up();
      const seen = await noOpPreview(stack, lab);
      assert.deepEqual(seen.writes, []);
      assert.deepEqual(seen.others.map(kindOf).sort(), ["ovsdb"], `${count} namespaces`);
      assert.equal(seen.namespaces.size, count);
      assert.ok([...seen.namespaces.values()].every((n) => n === 1), JSON.stringify([...seen.namespaces]));
      counts.push([seen.others.length, seen.logins]);
    }
    assert.deepEqual(counts[0], counts[1]);
  });

  it("an up that previews first reads the host again for the update: nothing the preview read is reused", async () => {
    // `pulumi up` without --skip-preview (as a person runs it) previews, then updates in the
    // same command. Were the two served by one provider process, the update would take the
    // preview's reads from the cache and miss hand drift made while the prompt waited.
    for (const earlier of stacks) await earlier.destroy(); // their br-int is another project's
    const dir = writeProject(state.dir, "reads-preview-up", "ovslab", vmLab(3));
    const stack = await CliStack.open({ state, projectDir: dir, stackName: "reads" });
    stacks.push(stack);
    await stack.setConfig(hostConfig(lab.connection));
    await stack.up();
    const alone = await noOpPreview(stack, lab);
    await lab.resetCommandLog();
    await stack.run(["up", "--yes", "--config-file", stack.configFile, "--non-interactive", "--color", "never"]);
    const both = sortReads(await lab.commandLog());
    const ovsdb = (reads: { others: string[][] }) => reads.others.map(kindOf).filter((k) => k === "ovsdb").length;
    assert.equal(ovsdb(alone), 1);
    assert.equal(ovsdb(both), 2, JSON.stringify(both.others.map(kindOf)));
    assert.deepEqual([...both.namespaces.values()], [2, 2, 2], JSON.stringify([...both.namespaces]));
  });
});
