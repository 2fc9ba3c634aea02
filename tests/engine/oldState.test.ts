// State written by an earlier ovslab (tests/fixtures/engine/) must still be refreshed,
// updated and destroyed by the current code: Pulumi runs the provider code stored in state,
// which calls the current package's entry point. Regenerate the fixture of the current
// version (only when its state format changed on purpose) with OVSLAB_WRITE_FIXTURES=1.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { call } from "../../providers/entry";
import { closeAll } from "../../transport/pool";
import { fromFixture, plaintext, toFixture } from "./stateFixture";
import { SEED_TAGS } from "./seedProgram";
import { removeState, scratchState, snapshot, HostSnapshot } from "./support";

const FIXTURES = path.join(repoRoot(), "tests", "fixtures", "engine");
const VERSION = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")).version;
// Project and stack names are part of the fixture (URNs, owner marks): the project in
// tests/fixtures/seedLab is named for it. It runs through the CLI, in processes of its own.
const PROJECT_DIR = path.join(repoRoot(), "tests", "fixtures", "seedLab");
const STACK = "fixture";

/** Imports a deployment through a file in our state directory (it holds plaintext secrets). */
async function importDeployment(state: StateDir, stack: CliStack, deployment: unknown): Promise<void> {
  const file = path.join(state.dir, "import.json");
  fs.writeFileSync(file, JSON.stringify(deployment), { mode: 0o600 });
  try {
    await stack.run(["stack", "import", "--file", file]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The seed program's ports and their tags, as the project reads them from config. */
async function setTags(stack: CliStack, tags: Record<string, number>): Promise<void> {
  await stack.setConfig({ "ovslab-fixture:tags": { value: JSON.stringify(tags) } });
}

describe("state written by earlier versions @host", function () {
  this.timeout(240_000);
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => /^state-.*\.json$/.test(f));
  let lab: LabHost;
  let state: StateDir;
  let untouched: HostSnapshot;

  before(async () => {
    lab = await startLabHost();
    untouched = await snapshot(lab);
  });

  afterEach(() => removeState(state));

  after(async () => {
    await lab?.stop();
  });

  it("has a fixture of the current version's state", function () {
    if (process.env.OVSLAB_WRITE_FIXTURES) this.skip(); // written by the next test
    assert.ok(fixtures.includes(`state-${VERSION}.json`), `missing ${path.join(FIXTURES, `state-${VERSION}.json`)}`);
  });

  /** The seed lab's stack under the fixture's project and stack names, in `state`. */
  const seedStack = async () => {
    const stack = await CliStack.open({ state, projectDir: PROJECT_DIR, stackName: STACK, fresh: true });
    await stack.setConfig(hostConfig(lab.connection));
    await setTags(stack, SEED_TAGS);
    return stack;
  };

  if (process.env.OVSLAB_WRITE_FIXTURES) {
    it(`writes the fixture of version ${VERSION}`, async () => {
      state = scratchState("fixture-write");
      const stack = await seedStack();
      await stack.up();
      const fixture = toFixture(await stack.exportState(), lab.connection);
      fs.writeFileSync(path.join(FIXTURES, `state-${VERSION}.json`), JSON.stringify(fixture, null, 2) + "\n");
      await stack.destroy();
    });
  }

  /**
   * A stack holding the fixture's state, and a host holding what that state describes,
   * made from the fixture's own inputs (its owner marks, whatever their format was).
   */
  async function stackFromFixture(file: string): Promise<CliStack> {
    state = scratchState("fixture");
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
    const stack = await seedStack();
    const deployment = fromFixture(fixture, lab.connection, await stack.exportState());
    await importDeployment(state, stack, deployment);
    const bridges = deployment.deployment.resources.filter((r: any) => r.type.endsWith(":Bridge"));
    try {
      for (const r of bridges) await call("bridge", "create", plaintext(r.inputs));
    } finally {
      await closeAll();
    }
    const stored = (await stack.exportState()).deployment.resources.filter((r: any) => r.type.endsWith(":Bridge"));
    assert.deepEqual(
      stored.map((r: any) => r.inputs.__provider),
      bridges.map((r: any) => r.inputs.__provider),
      "the stack holds the fixture's provider code",
    );
    return stack;
  }

  for (const file of fixtures) {
    it(`refreshes and destroys with the provider code stored in ${file}`, async () => {
      const stack = await stackFromFixture(file);
      await lab.sh(["ovs-vsctl", "set", "Port", "jill", "tag=12"]); // drift, for refresh to find
      const refreshed = (await stack.refresh()).stdout;
      assert.match(refreshed, /Bridge br-int updated .*\[diff: ~ports\]/, refreshed);
      assert.match(refreshed, /~ 1 updated\s+2 unchanged/, refreshed);
      await stack.destroy();
      assert.deepEqual(await snapshot(lab), untouched);
    });

    it(`updates from the state in ${file} with the current program, then destroys`, async () => {
      const stack = await stackFromFixture(file);
      await setTags(stack, { ...SEED_TAGS, foo: 40 });
      const updated = (await stack.up()).stdout;
      assert.match(updated, /Bridge br-int updated .*\[diff: ~ports\]/, updated);
      assert.match(updated, /~ 1 updated\s+2 unchanged/, updated);
      assert.equal((await lab.sh(["ovs-vsctl", "get", "Port", "foo", "tag"])).trim(), "40");
      const preview = JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout);
      assert.deepEqual(preview.changeSummary, { same: 3 });
      await stack.destroy();
      assert.deepEqual(await snapshot(lab), untouched);
    });
  }
});
