// The seed lab as Automation API inline programs (the engine runs our program in-process,
// the dynamic provider runs in its own plugin process, as for any user). One host, one
// stack, ordered steps: each `it` starts from where the previous one left the host.
import { strict as assert } from "node:assert";
import { Stack } from "@pulumi/pulumi/automation";
import { SEED_TAGS, seedLab } from "./seedProgram";
import { startLabHost, LabConnection, LabHost } from "../../lab";
import { hostConfig } from "../../engine/hostConfig";
import { inlineStack } from "../../engine/inlineStack";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown, snapshot, HostSnapshot, writesSince } from "./support";

async function tagOf(lab: LabHost, port: string): Promise<string> {
  return (await lab.sh(["ovs-vsctl", "get", "Port", port, "tag"])).trim();
}

/** Resolves once a command that writes appears in the host's command log. */
async function firstWrite(lab: LabHost, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [write] = await writesSince(lab);
    if (write) return write;
    if (Date.now() > deadline) throw new Error("no write command reached the host");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("the seed lab as Automation API inline programs @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: Stack;
  let untouched: HostSnapshot;
  const connection = (): LabConnection => lab.connection;

  before(async () => {
    lab = await startLabHost();
    untouched = await snapshot(lab);
    state = scratchState("inline");
    stack = await inlineStack({
      state,
      projectName: "ovslab-inline",
      stackName: "inline",
      program: seedLab(SEED_TAGS),
      config: hostConfig(connection()),
    });
  });

  after(() => tearDown(stack, lab, state));

  it("creates br-int and br-ex on one host in parallel", async () => {
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 3 });
    assert.equal(await tagOf(lab, "foo"), "4");
    assert.equal((await lab.sh(["ovs-vsctl", "br-exists", "br-ex"])).trim(), "");
  });

  it("changes one tag by updating exactly one resource, with writes to that port only", async () => {
    stack.workspace.program = seedLab({ ...SEED_TAGS, bar: 30 });
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    await lab.resetCommandLog();
    const result = await stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 2, update: 1 });
    assert.equal(await tagOf(lab, "bar"), "30");
    assert.equal(await tagOf(lab, "foo"), "4");
    const writes = await writesSince(lab);
    assert.ok(writes.length > 0);
    for (const argv of writes)
      assert.ok(argv.includes("bar") && !argv.includes("br-ex"), `unexpected write: ${argv.join(" ")}`);
  });

  it("fails clearly, naming the host, when sshd dies in the middle of an up, and the next up converges", async () => {
    const extra = ["br-t1", "br-t2", "br-t3", "br-t4"];
    stack.workspace.program = seedLab({ ...SEED_TAGS, bar: 3 }, extra);
    await lab.resetCommandLog();
    // One operation at a time, so sshd dies after the first write and before the rest.
    const up = stack.up({ parallel: 1 }).then(
      () => undefined,
      (error: Error) => error,
    );
    await firstWrite(lab);
    await lab.stopSsh();
    const error = await up;
    assert.ok(error instanceof Error, "the up must fail");
    const { port } = connection();
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`), "the error names the host");
    assert.ok(!error.message.includes("PRIVATE KEY"));
    // State stays consistent: what the host holds and what the stack records agree after refresh.
    await lab.startSsh();
    const next = await stack.up();
    assert.equal(
      (next.summary.resourceChanges?.create ?? 0) +
        (next.summary.resourceChanges?.same ?? 0) +
        (next.summary.resourceChanges?.update ?? 0),
      7,
    );
    for (const br of extra) assert.equal((await lab.sh(["ovs-vsctl", "br-exists", br])).trim(), "");
    assert.equal(await tagOf(lab, "bar"), "3");
    const again = await stack.preview();
    assert.deepEqual(again.changeSummary, { same: 7 });
  });

  it("destroys back to the host as it was", async () => {
    await stack.destroy();
    assert.deepEqual(await snapshot(lab), untouched);
  });
});
