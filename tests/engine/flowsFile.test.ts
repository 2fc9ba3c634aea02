// A FlowTable whose rules are a file (`flowsFile`), through the `pulumi` command on a
// throwaway host: the rules reach the bridge, Pulumi's state holds only the path and the
// digest, drift is seen (diff reads the host), an edited file updates the table, a bad rule
// is refused naming the file, index and field before anything runs, and destroy needs no file.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../../lab";
import { CliStack } from "../../engine/cliStack";
import { hostConfig } from "../../engine/hostConfig";
import { StateDir } from "../../engine/stateDir";
import { scratchState, tearDown, writesSince } from "./support";

const PROGRAM = `import { Bridge, FlowTable, hostConnection } from "ovslab";
const connection = hostConnection();
const brInt = new Bridge("br-int", { connection, datapathType: "netdev", ports: [{ name: "p1", type: "internal" }] });
export const id = new FlowTable("vlans", { connection, bridge: brInt.name, flowsFile: "flows.json" }).id;
`;

/** 40 rules, one per line; `actionsOf(i)` varies them. */
const rules = (actionsOf = (i: number): string => (i % 2 ? "drop" : "strip_vlan,NORMAL")) =>
  Array.from({ length: 40 }, (_, i) => ({
    priority: 100,
    match: `in_port=p1,dl_vlan=${i + 1}`,
    actions: actionsOf(i),
  }));
const asFile = (flows: unknown[]) => `[\n${flows.map((f) => JSON.stringify(f)).join(",\n")}\n]\n`;

describe("a FlowTable whose rules are a file, through the real engine @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  let state: StateDir;
  let stack: CliStack;
  let dir: string;
  let cookie: string;
  const ours = () => lab.sh(["ovs-ofctl", "--no-stats", "--names", "dump-flows", "br-int", `cookie=${cookie}/-1`]);
  const writeRules = (flows: unknown[]) => fs.writeFileSync(path.join(dir, "flows.json"), asFile(flows));

  before(async () => {
    lab = await startLabHost();
    state = scratchState("flowsfile");
    dir = path.join(state.dir, "flows-file");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: flows-file\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    writeRules(rules());
    stack = await CliStack.open({ state, projectDir: dir, stackName: "dev" });
    await stack.setConfig(hostConfig(lab.connection));
  });

  after(() => tearDown(stack, lab, state));

  it("puts the file's rules on the bridge; the state holds the path and digest, not the rules", async () => {
    await stack.up();
    cookie = String((await stack.outputs()).id).split("cookie=")[1];
    const dump = await ours();
    assert.equal(dump.split("\n").filter((l) => l.includes("dl_vlan=")).length, 40, dump);
    assert.match(dump, /priority=100,in_port="?p1"?,dl_vlan=2 actions=drop/);
    const exported = await stack.exportState();
    const table = exported.deployment.resources.find((r: any) => String(r.type).endsWith(":FlowTable"));
    const digest = createHash("sha256").update(fs.readFileSync(path.join(dir, "flows.json"))).digest("hex");
    for (const props of [table.inputs, table.outputs]) {
      assert.equal(props.flowsFile, "flows.json");
      assert.equal(props.flowsSha256, digest);
      assert.equal(props.flows, undefined);
    }
    assert.doesNotMatch(JSON.stringify(exported), /dl_vlan=17/);
  });

  it("previews only `same` right after, without a write", async () => {
    await lab.resetCommandLog();
    const preview = JSON.parse((await stack.preview(["--json"])).stdout);
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
    assert.deepEqual(await writesSince(lab), []);
  });

  it("sees a rule deleted by hand (diff reads the host) and up puts it back", async () => {
    await lab.sh([
      "ovs-ofctl",
      "--strict",
      "del-flows",
      "br-int",
      `cookie=${cookie}/-1,priority=100,in_port=p1,dl_vlan=5`,
    ]);
    assert.doesNotMatch(await ours(), /dl_vlan=5 /);
    const preview = JSON.parse((await stack.preview(["--json"])).stdout);
    assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
    await stack.up();
    assert.match(await ours(), /dl_vlan=5 actions=strip_vlan,NORMAL/);
  });

  it("updates the table in place when the file changes", async () => {
    writeRules(rules((i) => (i === 6 ? "mod_vlan_vid:100,NORMAL" : i % 2 ? "drop" : "strip_vlan,NORMAL")));
    const preview = JSON.parse((await stack.preview(["--json"])).stdout);
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    await stack.up();
    assert.match(await ours(), /dl_vlan=7 actions=mod_vlan_vid:100,NORMAL/);
  });

  it("refuses a bad rule in the file in preview, naming the file, index and field, and runs no write", async () => {
    writeRules([...rules(), { priority: 100, match: "in_port=p1,dl_vlan=4096", actions: "drop" }]);
    await lab.resetCommandLog();
    const preview = await stack.preview([], { allowFailure: true });
    assert.notEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /flowsFile "flows\.json": flows\[40\]\.match: .*dl_vlan/);
    assert.deepEqual(await writesSince(lab), []);
  });

  it("destroys the table by its cookie with the file gone (a foreign flow keeps the bridge to look at)", async () => {
    await lab.sh(["ovs-ofctl", "add-flow", "br-int", "cookie=0x77,priority=9,arp,actions=drop"]);
    fs.rmSync(path.join(dir, "flows.json"));
    await stack.destroy();
    const left = await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", "br-int"]);
    assert.doesNotMatch(left, /dl_vlan=/);
    assert.match(left, /cookie=0x77,.*priority=9,arp actions=drop/);
  });
});
