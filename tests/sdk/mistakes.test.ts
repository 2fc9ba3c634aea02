// User mistakes through the real engine (`pulumi preview` of tests/fixtures/mistakes, one
// stack per case, all at once): the whole message a user sees, once, without a stack trace.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { CliStack } from "../../engine/cliStack";
import { PulumiRun } from "../../engine/run";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { removeState, scratchState } from "../engine/support";

const PROGRAM = path.join(repoRoot(), "tests", "fixtures", "mistakes");

/** What a user reads: the diagnostics of the run, engine decorations and blank lines left out. */
function diagnostics(run: PulumiRun): string {
  const text = `${run.stdout}\n${run.stderr}`;
  const start = text.indexOf("Diagnostics:");
  return start < 0 ? text : text.slice(start);
}

describe("user mistakes through pulumi preview @host", function () {
  this.timeout(300_000);
  let state: StateDir;
  const runs: Record<string, PulumiRun> = {};
  const CASES = ["bridge", "flows", "router", "patch", "rule", "outputs"];

  before(async () => {
    state = scratchState("mistakes");
    await Promise.all(CASES.map(async (c) => {
      const stack = await CliStack.open({ state, projectDir: PROGRAM, stackName: c });
      await stack.setConfig({ "mistakes:case": { value: c } });
      runs[c] = await stack.preview([], { allowFailure: true });
    }));
  });

  after(() => removeState(state));

  for (const c of ["bridge", "flows", "router", "patch", "rule", "outputs"]) {
    it(`prints case ${c}`, () => {
      console.log(`==== ${c} (exit ${runs[c].code})\n${diagnostics(runs[c])}`);
    });
  }
});
