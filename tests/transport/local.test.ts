import { strict as assert } from "node:assert";
import { LocalTransport } from "../../transport/local";

describe("LocalTransport", () => {
  const local = new LocalTransport();

  it("runs argv without a shell, so metacharacters stay literal", async () => {
    const r = await local.run({ argv: ["echo", "$HOME;ls", "*"] });
    assert.deepEqual(r, { stdout: "$HOME;ls *\n", stderr: "", code: 0 });
  });

  it("feeds stdin and returns stderr and the exit status", async () => {
    const r = await local.run({ argv: ["sh", "-c", "cat; echo bad >&2; exit 4"], stdin: "in\n" });
    assert.deepEqual(r, { stdout: "in\n", stderr: "bad\n", code: 4 });
  });

  it("answers a missing program like a shell would: exit 127", async () => {
    const r = await local.run({ argv: ["no-such-command-ovslab"] });
    assert.equal(r.code, 127);
    assert.match(r.stderr, /no-such-command-ovslab: command not found/);
  });

  it("reports a command killed by a signal as 128 + signal", async () => {
    assert.equal((await local.run({ argv: ["sh", "-c", "kill -9 $$"] })).code, 137);
  });

  it("kills a command that runs too long and says so", async () => {
    await assert.rejects(
      local.run({ argv: ["sleep", "5"] }, { timeoutMs: 200 }),
      /^Error: local: sleep 5 timed out after 0\.2 s and was killed$/,
    );
  });

  it("survives a command that exits without reading its stdin", async () => {
    const r = await local.run({ argv: ["true"], stdin: "x".repeat(1 << 20) });
    assert.equal(r.code, 0);
  });

  it("refuses to run after close", async () => {
    const t = new LocalTransport();
    await t.close();
    await assert.rejects(t.run({ argv: ["true"] }), /local: transport is closed/);
  });
});
