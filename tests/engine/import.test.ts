// `pulumi import` of an ovslab type, through the real CLI: the engine sends a dynamic
// resource's read no properties (so no provider), and the SDK's plugin crashed on that
// ("Cannot read properties of undefined (reading 'toJavaScript')"). Our plugin
// (scripts/engine-bin/pulumi-resource-pulumi-nodejs.js) refuses it in words, and every
// other read (refresh) goes on as before.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { startLabHost, LabHost } from "../../lab";
import { scratchState, tearDown } from "./support";

const PROJECT = path.join(repoRoot(), "tests", "fixtures", "vlanDrift");

describe("pulumi import of an ovslab type @host", function () {
  this.timeout(240_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;

  before(async () => {
    lab = await startLabHost();
    state = scratchState("import");
    stack = await CliStack.open({ state, projectDir: PROJECT, stackName: "import" });
    await stack.setConfig(hostConfig(lab.connection));
    // A bridge made by hand, as one would try to import.
    await lab.sh(["ovs-vsctl", "add-br", "br-hand", "--", "set", "Bridge", "br-hand", "datapath_type=netdev"]);
  });

  after(() => tearDown(stack, lab, state));

  it("is refused in words, naming the resource and the way that works, without a stack trace", async () => {
    const before = await lab.sh(["ovs-vsctl", "list", "Bridge", "br-hand"]);
    const args = ["--yes", "--config-file", stack.configFile, "--non-interactive", "--color", "never"];
    const run = await stack.run(["import", "pulumi-nodejs:dynamic/ovslab:Bridge", "br-hand", "br-hand", ...args], {
      allowFailure: true,
    });
    const text = `${run.stdout}\n${run.stderr}`;
    assert.notEqual(run.code, 0, text);
    const refusal =
      'error: Preview failed: ovslab Bridge "br-hand" cannot be imported with `pulumi import`: a dynamic ' +
      "resource's provider travels in its properties, which an import does not have. Declare it in the program " +
      "instead, with the argument `adopt: true` to take over what is already on the host; " +
      "`npx ovslab adopt --host ...` writes that program from what the host holds.";
    assert.ok(text.split("\n").some((line) => line.trim() === refusal), text);
    assert.doesNotMatch(text, /toJavaScript|TypeError|^\s+at /m, text);
    assert.equal(await lab.sh(["ovs-vsctl", "list", "Bridge", "br-hand"]), before, "the host is untouched");
    const urns = ((await stack.exportState()).deployment.resources ?? []).map((r: { urn: string }) => r.urn);
    assert.ok(!urns.some((u: string) => u.endsWith("::br-hand")), `nothing imported into state: ${urns.join(", ")}`);
  });

  it("leaves every other read of the plugin as it was: up, then a refresh finds the lab as declared", async () => {
    await stack.up();
    const refresh = await stack.refresh(["--expect-no-changes"], { allowFailure: true });
    assert.equal(refresh.code, 0, `${refresh.stdout}\n${refresh.stderr}`);
  });
});
