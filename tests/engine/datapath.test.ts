// The system datapath on a host without the openvswitch kernel module (every lab host),
// through the real CLI: the Bridge fails with OVS's reason and the netdev hint, and going
// back to netdev can be previewed and applied, flows on that bridge included, whether the
// bridge was new or already running on netdev with its flows.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { startLabHost, LabHost } from "../../lab";
import { scratchState, tearDown } from "./support";

const PROJECT = path.join(repoRoot(), "tests", "fixtures", "datapath");
const NOT_SET_UP = new RegExp(
  "bridge br-dp: ovs-vswitchd could not set it up \\(it does not run it\\); " +
    'datapathType "system" needs the openvswitch kernel module: ' +
    'on a host without it \\(a container, a lab host\\) set datapathType: "netdev"',
);

describe("the system datapath without its kernel module, then netdev again, through the pulumi CLI @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  const useDatapath = (type: string) => stack.setConfig({ "datapath:type": { value: type } });
  const flows = async () => lab.sh(["ovs-ofctl", "-O", "OpenFlow14", "--no-stats", "dump-flows", "br-dp"]);

  /** Back on netdev: preview works and says so, up applies it, the flows are there, the next preview is clean. */
  async function backToNetdev(): Promise<void> {
    await useDatapath("netdev");
    const preview = await stack.preview(["--diff"], { allowFailure: true });
    assert.equal(preview.code, 0, `preview of the way back fails:\n${preview.stdout}\n${preview.stderr}`);
    assert.match(preview.stdout, /datapathType\s*: "system" => "netdev"/, preview.stdout);
    const up = await stack.up([], { allowFailure: true });
    assert.equal(up.code, 0, `up of the way back fails:\n${up.stdout}\n${up.stderr}`);
    assert.equal((await lab.sh(["ovs-vsctl", "get", "Bridge", "br-dp", "datapath_type"])).trim(), "netdev");
    assert.match(await flows(), /priority=100,ip,nw_dst=10\.0\.0\.9 actions=drop/);
    const clean = await stack.preview(["--expect-no-changes"], { allowFailure: true });
    assert.equal(clean.code, 0, `${clean.stdout}\n${clean.stderr}`);
  }

  before(async function () {
    // Where the kernel module is loaded the system datapath works: nothing fails to go back from.
    if (fs.existsSync("/sys/module/openvswitch")) this.skip();
    lab = await startLabHost();
    state = scratchState("datapath");
    stack = await CliStack.open({ state, projectDir: PROJECT, stackName: "datapath" });
    await stack.setConfig(hostConfig(lab.connection));
  });

  after(() => tearDown(stack, lab, state));

  it("fails a new bridge on system with OVS's reason and the hint, creating no flows", async () => {
    await useDatapath("system");
    const up = await stack.up([], { allowFailure: true });
    assert.notEqual(up.code, 0);
    assert.match(up.stdout + up.stderr, NOT_SET_UP);
    assert.doesNotMatch(up.stdout + up.stderr, /is not a bridge or a socket/);
  });

  it("goes back to netdev from there: preview, up, flows, clean preview", backToNetdev);

  it("fails a running netdev bridge switched to system, and the preview before it works", async () => {
    await useDatapath("system");
    const preview = await stack.preview([], { allowFailure: true });
    assert.equal(preview.code, 0, `${preview.stdout}\n${preview.stderr}`);
    const up = await stack.up([], { allowFailure: true });
    assert.notEqual(up.code, 0);
    assert.match(up.stdout + up.stderr, NOT_SET_UP);
  });

  it("goes back to netdev from a running bridge too, with its flows put back", backToNetdev);
});
