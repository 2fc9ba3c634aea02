import { strict as assert } from "node:assert";
import { RecordingTransport } from "../../transport/recording";
import { runChecked } from "../../transport/types";

describe("RecordingTransport", () => {
  it("records every command and answers exit 0 with no output by default", async () => {
    const t = new RecordingTransport();
    assert.deepEqual(await t.run({ argv: ["ovs-vsctl", "add-br", "br-int"] }), { stdout: "", stderr: "", code: 0 });
    await t.run({ argv: ["ovs-ofctl", "--bundle", "add-flows", "br-ex", "-"], stdin: "table=0,actions=normal\n" });
    assert.deepEqual(t.commands, [
      { argv: ["ovs-vsctl", "add-br", "br-int"] },
      { argv: ["ovs-ofctl", "--bundle", "add-flows", "br-ex", "-"], stdin: "table=0,actions=normal\n" },
    ]);
    assert.deepEqual(t.lines(), [
      "ovs-vsctl add-br br-int",
      "ovs-ofctl --bundle add-flows br-ex - <<'OVSLAB_EOF'\ntable=0,actions=normal\nOVSLAB_EOF",
    ]);
  });

  it("answers from the handler, which may be async and fill only some fields", async () => {
    const t = new RecordingTransport(
      async (c) => (c.argv[0] === "fail" ? { code: 2, stderr: "nope" } : { stdout: "ok" }),
      "ssh lab1",
    );
    assert.deepEqual(await t.run({ argv: ["x"] }), { stdout: "ok", stderr: "", code: 0 });
    await assert.rejects(
      runChecked(t, { argv: ["fail", "now"] }),
      /^CommandError: ssh lab1: fail now failed \(exit 2\): nope$/,
    );
  });

  it("keeps its own copy of each command", async () => {
    const t = new RecordingTransport();
    const argv = ["a"];
    await t.run({ argv });
    argv.push("b");
    assert.deepEqual(t.commands[0]!.argv, ["a"]);
  });
});
