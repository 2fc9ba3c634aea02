// The drift catalogue: hand changes made on the seed lab's host, then, through the `pulumi`
// command on the example project (which sets `options: refresh: always`), `preview --diff`
// must name the resource and the drifted field with the host's and the declared value,
// `up` must repair it, the next preview must be clean and the ping matrix must hold.
// Independent drifts share one round of engine runs, so the catalogue stays a few minutes.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { broken, formatPingResults, PingRow, runPingMatrix } from "../../lab/ping";
import { scratchState, tearDown } from "./support";
import { Drift, namesIn, resourceBlocks, Round } from "./driftCatalogue";
import { CATALOGUE } from "./driftKinds";

const EXAMPLE = path.join(repoRoot(), "examples", "openstack-aio");

describe("the drift catalogue on the seed lab, through the pulumi CLI @host", function () {
  this.timeout(600_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  let matrix: PingRow[];

  before(async () => {
    lab = await startLabHost();
    state = scratchState("drift");
    stack = await CliStack.open({ state, projectDir: EXAMPLE, stackName: "drift" });
    await stack.setConfig(hostConfig(lab.connection));
    await stack.up();
    matrix = (await stack.outputs()).pingMatrix as PingRow[];
  });

  after(() => tearDown(stack, lab, state));

  /**
   * The matrix, again for up to 15 s while a row is broken: a device OVS made anew has a
   * new MAC, and a neighbour's ARP cache keeps the old one for a few seconds when the new
   * one's gratuitous ARP went out before the path to it was back (a bridge re-created).
   */
  async function pingsHold(when: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    let results = await runPingMatrix(matrix, async (argv) => (await lab.exec(argv)).code);
    // Only rows that must answer are waited for: an isolation row that answers fails at once.
    while (broken(results).length && broken(results).every((r) => r.row[2]) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      results = await runPingMatrix(matrix, async (argv) => (await lab.exec(argv)).code);
    }
    assert.deepEqual(broken(results), [], `${when}:\n${formatPingResults(results)}`);
  }

  const all = CATALOGUE.flatMap((round) => round.drifts);
  it(`holds at least 30 kinds of drift (${all.length})`, () => {
    assert.ok(all.length >= 30, all.map((d) => d.kind).join(", "));
    assert.equal(new Set(all.map((d) => d.kind)).size, all.length, "each kind once");
  });

  /** The round's own small stack on the same lab host, up before its drifts. */
  async function roundStack(project: string): Promise<CliStack> {
    const own = await CliStack.open({ state, projectDir: project, stackName: "drift" });
    await own.setConfig(hostConfig(lab.connection));
    await own.up();
    return own;
  }

  for (const round of CATALOGUE) {
    it(`${round.title}: ${round.drifts.map((d) => d.kind).join("; ")}`, async () => {
      const target = round.project ? await roundStack(round.project) : stack;
      try {
        await driftAndRepair(round, target);
      } finally {
        if (target !== stack) await target.destroy();
      }
      await pingsHold(`after ${round.title}`);
    });
  }

  async function driftAndRepair(round: Round, target: CliStack): Promise<void> {
    for (const drift of round.drifts) await drift.make(lab);
    const preview = await target.preview(["--diff"]);
    const blocks = resourceBlocks(preview.stdout);
    const missed = round.drifts.flatMap((d: Drift) => namesIn(d, blocks));
    assert.deepEqual(missed, [], `preview --diff:\n${preview.stdout}`);
    if (round.refused) {
      const up = await target.up([], { allowFailure: true });
      assert.notEqual(up.code, 0, "up must refuse");
      assert.match(up.stdout + up.stderr, round.refused);
      await round.afterRefusal!(lab);
    }
    const up = await target.up([], { allowFailure: true });
    assert.equal(up.code, 0, `up did not repair it:\n${up.stdout}\n${up.stderr}`);
    const after = await target.preview(["--expect-no-changes"], { allowFailure: true });
    assert.equal(after.code, 0, `the preview after up is not clean:\n${after.stdout}\n${after.stderr}`);
    for (const drift of round.drifts) await drift.check?.(lab);
  }
});
