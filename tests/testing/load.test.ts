import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Bridge, FlowRule, PatchPair } from "../../sdk";
import { call } from "../../providers/entry";
import { kinds } from "../../core/kinds";
import { planFlowRule } from "../../core/plan/flowRule";
import { LabError, loadLab } from "../../testing";
import { SECRET_PLACEHOLDER } from "../../testing/project";

const REPO = path.resolve(__dirname, "..", "..");
const connection = { host: "192.0.2.7" };
const problemsOf = async (promise: Promise<unknown>): Promise<string[]> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LabError) return error.problems;
    throw error;
  }
  assert.fail("expected the lab to be rejected");
};

describe("loadLab", function () {
  this.timeout(60_000);

  it("runs a program function under mocks and returns each resource with its owner, id and validated spec", async () => {
    const lab = await loadLab(
      () => {
        const br = new Bridge("br0", { connection, ports: [{ name: "p1", tag: 7 }] });
        new FlowRule("to-p1", { connection, bridge: br.name, priority: 5, actions: "output:p1" });
      },
      { project: "proj", stack: "st" },
    );
    assert.deepEqual(
      lab.resources.map((r) => [r.kind, r.name, r.owner, r.id.replace(/0x[0-9a-f]+/, "C")]),
      [
        ["bridge", "br0", "proj/st/Bridge/br0", "br0"],
        ["flowRule", "to-p1", "proj/st/FlowRule/to-p1", "br0/cookie=C"],
      ],
    );
    assert.deepEqual(lab.bridge("br0").spec, {
      name: "br0",
      failMode: "standalone",
      datapathType: "system",
      protocols: [],
      externalIds: {},
      otherConfig: {},
      ports: [{ name: "p1", type: "system", tag: 7, options: {}, externalIds: {} }],
    });
  });

  it("compiles each resource to exactly what its provider plans for an empty host with the lab's bridges", async () => {
    const lab = await loadLab(() => {
      const br = new Bridge("br0", { connection, protocols: ["OpenFlow13", "OpenFlow14"] });
      new FlowRule("r", { connection, bridge: br.name, match: "dl_vlan=3", actions: "strip_vlan,NORMAL" });
    });
    const bridge = lab.bridge("br0");
    assert.deepEqual(bridge.ops, kinds.bridge.plan(bridge.spec, { bridges: [], portBridge: new Map() }, bridge.owner));
    const rule = lab.resource("r", "flowRule");
    const flowBridge = {
      name: "br0",
      protocols: ["OpenFlow13", "OpenFlow14"],
      ports: { bridge: "br0", byNumber: new Map() },
    };
    assert.deepEqual(rule.ops, planFlowRule(rule.spec as never, { bridge: flowBridge, flows: [] }, rule.owner));
    assert.equal(rule.commands.length, 1);
    assert.match(
      rule.commands[0],
      /^ovs-ofctl -O OpenFlow14 --bundle add-flows br0 - <<'OVSLAB_EOF'\ndelete cookie=0x6f76[0-9a-f]+\/-1\nadd table=0,priority=32768,cookie=0x6f76[0-9a-f]+,dl_vlan=3,actions=strip_vlan,NORMAL\nOVSLAB_EOF$/,
    );
  });

  it("rejects invalid specs with the reasons the provider's own check gives, each naming its resource", async () => {
    const problems = await problemsOf(loadLab(() => {
      const br = new Bridge("br0", { connection });
      new FlowRule("bad", { connection, bridge: br.name, table: 300, actions: "frobnicate:1" });
    }, { project: "p", stack: "s" }));
    const check = await call("flowRule", "check", {}, { bridge: "br0", table: 300, actions: "frobnicate:1", connection, owner: "p/s/FlowRule/bad" });
    assert.ok(check.failures.length >= 2);
    assert.deepEqual(problems, check.failures.map((f: { reason: string }) => `FlowRule "bad": ${f.reason}`));
  });

  it("reports a spec the SDK refused at construction with every one of its problems", async () => {
    const problems = await problemsOf(
      loadLab(() => new Bridge("bad", { connection, ports: [{ name: "p1", tag: 5000 }, { name: "p;2" }] })),
    );
    assert.deepEqual(problems, [
      'Bridge "bad": ports[0].tag: must be 0-4095',
      "Bridge \"bad\": ports[1].name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'",
    ]);
  });

  it("reports a patch pair between bridges the program does not declare, as its planner words it", async () => {
    const problems = await problemsOf(loadLab(() => {
      new Bridge("br-a", { connection });
      new PatchPair("ab", { connection, a: { bridge: "br-a", port: "a-b" }, b: { bridge: "br-b", port: "b-a" } });
    }));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0],
      /^PatchPair "ab" \(planned for an empty host with this lab's bridges\): bridge br-b does not exist on the host/,
    );
  });

  it("reports an input whose apply threw, and a program that threw later, as what failed", async () => {
    const applied = await problemsOf(loadLab(() => {
      const br = new Bridge("br0", { connection });
      new FlowRule("r", {
        connection,
        bridge: br.name.apply((): string => {
          throw new Error("no such bridge in the inventory");
        }),
        actions: "NORMAL",
      });
    }));
    assert.deepEqual(applied, [
      'the program failed: error serializing property "bridge": no such bridge in the inventory',
    ]);
    const late = await problemsOf(loadLab(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("inventory unreachable");
    }));
    assert.deepEqual(late, ["the program failed: inventory unreachable"]);
  });

  it("runs a program directory again on each call, with its Pulumi.yaml project and the given config", async () => {
    const dir = path.join(REPO, "examples", "vlan-trunk");
    const netdev = await loadLab(dir);
    const system = await loadLab(dir, { config: { datapathType: "system" } });
    assert.equal(netdev.project, "vlan-trunk");
    assert.equal(netdev.bridge("br-core").spec.datapathType, "netdev", "Pulumi.yaml's default");
    assert.equal(system.bridge("br-core").spec.datapathType, "system", "the program ran again with the new config");
    assert.equal(system.bridge("br-core").owner, "vlan-trunk/dev/Bridge/br-core");
  });

  it("reads Pulumi.<stack>.yaml, keeping secure values out (a placeholder stands in)", async () => {
    const dir = fs.mkdtempSync(path.join(REPO, ".ovslab", "tmp", "stack-config-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: cfg\nruntime: nodejs\n");
      fs.writeFileSync(
        path.join(dir, "Pulumi.lab1.yaml"),
        "config:\n  cfg:bridge: br-from-file\n  ovslab:privateKey:\n    secure: v1:AAAABBBB\n",
      );
      fs.writeFileSync(path.join(dir, "index.js"), [
        'const pulumi = require("@pulumi/pulumi");',
        `const { Bridge } = require(${JSON.stringify(path.join(REPO, "sdk"))});`,
        'const config = new pulumi.Config();',
        'new Bridge("br", { connection: { host: "h" }, name: config.require("bridge") });',
        'exports.key = new pulumi.Config("ovslab").requireSecret("privateKey");',
      ].join("\n"));
      const lab = await loadLab(dir, { stack: "lab1" });
      assert.equal(lab.bridge("br-from-file").name, "br");
      assert.equal(lab.outputs.key, SECRET_PLACEHOLDER);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps labs loaded at the same time apart: each sees only its own resources", async () => {
    const [one, two] = await Promise.all([
      loadLab(() => new Bridge("br-one", { connection })),
      loadLab(() => [new Bridge("br-two", { connection }), new Bridge("br-three", { connection })]),
    ]);
    assert.deepEqual(one.resources.map((r) => r.name), ["br-one"]);
    assert.deepEqual(two.resources.map((r) => r.name), ["br-two", "br-three"]);
  });

  it("leaves the process's own Pulumi mocks and settings as they were", async () => {
    const store = () => require("@pulumi/pulumi/runtime/state").getStore();
    const before = { monitor: store().settings.monitor, project: pulumi.getProject(), stack: pulumi.getStack() };
    await loadLab(() => new Bridge("br0", { connection }), { project: "elsewhere", stack: "other" });
    assert.equal(store().settings.monitor, before.monitor);
    assert.deepEqual([pulumi.getProject(), pulumi.getStack()], [before.project, before.stack]);
  });
});
