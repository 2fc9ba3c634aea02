import { strict as assert } from "node:assert";
import { query, reading } from "../../core/kinds/reading";
import { OpenFlowVersionError } from "../../core/plan/flows";
import { RecordingTransport } from "../../transport/recording";
import { runReading } from "../../providers/read";

const echo = (word: string) => ({ argv: ["echo", word], why: `say ${word}` });

describe("runReading", () => {
  it("runs each round's queries in order on the host and hands their parsed results to the next round", async () => {
    const host = new RecordingTransport((c) => ({ stdout: `${c.argv[1]}\n` }));
    const live = await runReading(
      host,
      reading([query(echo("a"), (s) => s.trim()), query(echo("b"), (s) => s.trim().toUpperCase())], (a, b) =>
        a === "a" ? reading([query(echo(`${a}${b}`), (s) => s.trim().length)], (n) => ({ a, b, n })) : { a, b, n: 0 },
      ),
    );
    assert.deepEqual(live, { a: "a", b: "B", n: 2 });
    assert.deepEqual(host.lines(), ["echo a", "echo b", "echo aB"]);
  });

  it("stops at a failed query with the command's error, running nothing after it", async () => {
    const host = new RecordingTransport((c) => (c.argv[1] === "b" ? { code: 1, stderr: "no" } : {}));
    const three = reading([query(echo("a"), String), query(echo("b"), String), query(echo("c"), String)], () => 0);
    await assert.rejects(runReading(host, three), /echo b failed \(exit 1\)/);
    assert.deepEqual(host.lines(), ["echo a", "echo b"]);
  });

  it("names the host in what the core refuses after reading, keeping the error's class", async () => {
    const host = new RecordingTransport(() => ({}), "ssh lab1");
    const refusing = reading([query(echo("a"), String)], () => {
      throw new OpenFlowVersionError("bridge br0 allows only OpenFlow10");
    });
    await assert.rejects(runReading(host, refusing), (e: Error) => {
      assert.ok(e instanceof OpenFlowVersionError);
      assert.equal(e.message, "ssh lab1: bridge br0 allows only OpenFlow10");
      return true;
    });
  });
});
