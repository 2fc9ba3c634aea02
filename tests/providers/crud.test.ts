import { strict as assert } from "assert";
import { call } from "../../providers/entry";
import { specOf } from "../../providers/crud";
import { kinds } from "../../core/kinds";
import { countingListener } from "../support/listener";
import { readableKeyPair } from "../transport/sshd";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";


describe("check (through the provider entry point)", () => {
  it("rejects bad bridge input with messages naming each field and rule, without connecting to the host", async () => {
    const listener = await countingListener();
    try {
      const news = {
        name: "br-int-way-too-long",
        failMode: "closed",
        ports: [{ name: "p;rm -rf /", tag: 4096 }, { name: "ok" }, { name: "ok" }],
        connection: { host: "127.0.0.1", port: listener.port, privateKey: "k" },
        owner: "lab/dev/br",
      };
      const result = await call("bridge", "check", {}, news);
      const reasons = (result.failures ?? []).map((f: { reason: string }) => f.reason);
      assert.deepEqual(reasons, [
        'name: must be 1-15 bytes (a Linux interface name), got "br-int-way-too-long" (19 bytes)',
        'failMode: must be one of secure, standalone, got "closed"',
        "ports[0].name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-', got \"p;rm -rf /\"",
        "ports[0].tag: must be 0-4095, got 4096",
        'ports[2].name: duplicates port "ok"',
      ]);
      // The reason names the path; a property would make the engine print its whole value first.
      assert.deepEqual((result.failures ?? []).map((f: { property: string }) => f.property), ["", "", "", "", ""]);
      assert.equal(listener.connections(), 0);
    } finally {
      await listener.close();
    }
  });

  it("rejects a bad connection without echoing its secrets", async () => {
    const news = {
      name: "br0",
      connection: { host: "", port: 70000, privateKey: "SECRET-KEY-BYTES" },
      owner: "lab/dev/br",
    };
    const result = await call("bridge", "check", {}, news);
    const text = JSON.stringify(result.failures);
    assert.match(text, /connection\.host: must not be empty/);
    assert.match(text, /connection\.port/);
    assert.doesNotMatch(text, /SECRET-KEY-BYTES/);
  });

  it("returns the inputs with defaults filled when all is well", async () => {
    const news = { name: "br0", connection: { host: "h" }, owner: "lab/dev/br" };
    const result = await call("bridge", "check", {}, news);
    assert.equal(result.failures, undefined);
    assert.equal(result.inputs.failMode, "standalone");
    assert.deepEqual(result.inputs.connection, { host: "h" });
  });

  it("leaves values unknown during preview for apply time", async () => {
    const news = { name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", connection: { host: "h" }, owner: "lab/dev/br" };
    const result = await call("bridge", "check", {}, news);
    assert.deepEqual(result.inputs, news);
  });
});

describe("diff (through the provider entry point) when the host cannot be reached", () => {
  // A closed loopback port: connections are refused at once.
  async function closedPort(): Promise<number> {
    const listener = await countingListener();
    await listener.close();
    return listener.port;
  }

  it("reports a change and warns naming the host, so the apply fails that resource alone", async () => {
    const port = await closedPort();
    const privateKey = readableKeyPair().private;
    const connection = { host: "127.0.0.1", port, privateKey, dialErrorLimit: 1 };
    const props = { name: "br0", connection, owner: "lab/dev/br" };
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      assert.deepEqual(await call("bridge", "diff", "br0", props, props), { changes: true });
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.doesNotMatch(warnings[0], /PRIVATE KEY/);
    const refused = `ssh root@127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`;
    assert.match(
      warnings[0],
      new RegExp(`^ovslab: ${refused} .*: its Bridge shows as an update, which fails until the host answers$`),
    );
    await assert.rejects(call("bridge", "update", "br0", props, props), new RegExp(refused));
  });

  it("still fails in diff when the connection settings are wrong (a private key it cannot read)", async () => {
    const port = await closedPort();
    const connection = { host: "127.0.0.1", port, privateKey: "not a key", dialErrorLimit: 1 };
    const props = { name: "br0", connection, owner: "lab/dev/br" };
    await assert.rejects(
      call("bridge", "diff", "br0", props, props),
      /ssh root@127\.0\.0\.1:\d+: privateKey: cannot read it/,
    );
  });
});

describe("check of a FlowTable whose rules are a file", () => {
  let dir: string;
  let cwd: string;

  before(() => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-check-"));
    fs.writeFileSync(path.join(dir, "good.json"), JSON.stringify([{ priority: 5, actions: "NORMAL" }]));
    fs.writeFileSync(
      path.join(dir, "bad.json"),
      JSON.stringify([{ actions: "NORMAL" }, { priority: 3, actions: "outptu:1" }]),
    );
    process.chdir(dir);
  });

  after(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const news = (flowsFile: string) => ({
    bridge: "br-int",
    flowsFile,
    connection: { host: "h" },
    owner: "lab/dev/FlowTable/t",
  });

  it("returns the file and its digest as inputs, never the rules", async () => {
    const result = await call("flowTable", "check", {}, news("good.json"));
    assert.equal(result.failures, undefined);
    assert.equal(result.inputs.flows, undefined);
    assert.equal(result.inputs.flowsFile, "good.json");
    assert.match(result.inputs.flowsSha256, /^[0-9a-f]{64}$/);
  });

  it("names the file, the rule's index and the field of a bad rule in it", async () => {
    const result = await call("flowTable", "check", {}, news("bad.json"));
    const reasons = (result.failures ?? []).map((f: { reason: string }) => f.reason);
    assert.equal(reasons.length, 1, JSON.stringify(reasons));
    assert.match(reasons[0], /^flowsFile "bad\.json": flows\[1\]\.actions: .*outptu/);
  });

  it("validates a file's rules once per process, whatever method asks again", () => {
    const first = specOf(kinds.flowTable, news("good.json"));
    const again = specOf(kinds.flowTable, news("good.json"));
    assert.equal(again.spec, first.spec);
    assert.deepEqual(first.spec.flows, [
      { table: 0, priority: 5, match: "", actions: "NORMAL", idleTimeout: 0, hardTimeout: 0 },
    ]);
    assert.notEqual(specOf(kinds.flowTable, { ...news("good.json"), bridge: "br-ex" }).spec, first.spec);
  });

  it("reads check's inputs (the file and its digest) back into the rules, defaults filled", async () => {
    const checked = await call("flowTable", "check", {}, { ...news("good.json"), bridge: "br-check" });
    const { spec } = specOf(kinds.flowTable, checked.inputs);
    assert.equal(spec.bridge, "br-check");
    assert.equal(spec.flows[0].idleTimeout, 0);
    assert.equal(spec.flows.length, 1);
  });

  it("says which file it cannot read", async () => {
    const result = await call("flowTable", "check", {}, news("gone.json"));
    assert.match(result.failures[0].reason, /^flowsFile: cannot read "gone.json"/);
  });
});
