import { strict as assert } from "assert";
import { utils } from "ssh2";
import { call } from "../../providers/entry";
import { countingListener } from "../support/listener";


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
    const news = { name: "br0", connection: { host: "", port: 70000, privateKey: "SECRET-KEY-BYTES" }, owner: "lab/dev/br" };
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
    const privateKey = utils.generateKeyPairSync("ed25519").private;
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
    assert.match(warnings[0], new RegExp(`^ovslab: ${refused} .*: its Bridge shows as an update, which fails until the host answers$`));
    await assert.rejects(call("bridge", "update", "br0", props, props), new RegExp(refused));
  });

  it("still fails in diff when the connection settings are wrong (a private key it cannot read)", async () => {
    const port = await closedPort();
    const connection = { host: "127.0.0.1", port, privateKey: "not a key", dialErrorLimit: 1 };
    const props = { name: "br0", connection, owner: "lab/dev/br" };
    await assert.rejects(call("bridge", "diff", "br0", props, props), /ssh root@127\.0\.0\.1:\d+: privateKey: cannot read it/);
  });
});
