import { strict as assert } from "node:assert";
import { query, reading, sharedReading } from "../../core/kinds/reading";
import { OpenFlowVersionError } from "../../core/plan/flows";
import { RecordingTransport } from "../../transport/recording";
import { runReading, runWrites, shareReads } from "../../providers/read";

const echo = (word: string) => ({ argv: ["echo", word], why: `say ${word}` });

describe("runReading", () => {
  it("runs each round's queries side by side and hands their parsed results, in order, to the next round", async () => {
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

  it("fails with a failed query's error and reads no further round", async () => {
    const host = new RecordingTransport((c) => (c.argv[1] === "b" ? { code: 1, stderr: "no" } : {}));
    const next = reading([query(echo("never"), String)], () => 0);
    const three = reading([query(echo("a"), String), query(echo("b"), String), query(echo("c"), String)], () => next);
    await assert.rejects(runReading(host, three), /echo b failed \(exit 1\)/);
    assert.deepEqual(host.lines(), ["echo a", "echo b", "echo c"]);
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

describe("the per-host read cache", () => {
  let before: boolean;
  beforeEach(() => (before = shareReads(true)));
  afterEach(() => shareReads(before));

  const vsctl = (what: string) => ({ argv: ["ovs-vsctl", "--format=json", "list", what], why: "read" });
  const scoped = (what: string) => reading([query(vsctl(what), (s) => `scoped ${s.trim()}`)], (x) => x);
  const sharedOf = (what: string) =>
    sharedReading(
      query(vsctl("All"), (s) => s.trim()),
      (all) => `${what} from ${all}`,
      scoped(what),
    );

  it("answers every resource of a host from one shared read until a write of ours touches it, then reads scoped", async () => {
    const host = new RecordingTransport((c) => ({ stdout: `${c.argv[3]}\n` }));
    assert.deepEqual(await Promise.all([runReading(host, sharedOf("a")), runReading(host, sharedOf("b"))]), [
      "a from All",
      "b from All",
    ]);
    assert.equal(await runReading(host, sharedOf("a")), "a from All");
    assert.deepEqual(host.lines(), ["ovs-vsctl --format=json list All"]);
    await runWrites(host, [{ argv: ["ovs-vsctl", "set", "Bridge", "b", "x=1"], why: "write" }]);
    assert.equal(await runReading(host, sharedOf("a")), "scoped a");
    assert.equal(await runReading(host, sharedOf("a")), "scoped a"); // the scoped read is shared too
    assert.deepEqual(host.lines().slice(1), ["ovs-vsctl set Bridge b x=1", "ovs-vsctl --format=json list a"]);
  });

  it("keeps what a write does not touch: another namespace, and text OVS judged (parse-flows)", async () => {
    const host = new RecordingTransport(() => ({ stdout: "x\n" }));
    const ns = (name: string) =>
      reading([query({ argv: ["ip", "-n", name, "link", "show"], why: "read" }, String)], (x) => x);
    const judged = reading(
      [
        query(
          { argv: ["ovs-ofctl", "-O", "OpenFlow14", "parse-flows", "-"], stdin: "actions=drop\n", why: "read" },
          String,
        ),
      ],
      (x) => x,
    );
    for (const r of [ns("a"), ns("b"), judged]) await runReading(host, r);
    await runWrites(host, [
      { argv: ["ip", "-n", "a", "-batch", "-"], why: "write" },
      { argv: ["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br0", "-"], why: "write" },
    ]);
    for (const r of [ns("a"), ns("b"), judged]) await runReading(host, r);
    assert.deepEqual(
      host.lines().filter((l) => !l.includes("-batch") && !l.includes("add-flows")),
      [
        "ip -n a link show",
        "ip -n b link show",
        "ovs-ofctl -O OpenFlow14 parse-flows - <<'OVSLAB_EOF'\nactions=drop\nOVSLAB_EOF",
        "ip -n a link show",
      ],
    );
  });

  it("does not keep a read that ran while a write of ours did: it may show the host half-way", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const host = new RecordingTransport(async (c) => {
      if (c.argv[1] === "set") await gate;
      return { stdout: "x\n" };
    });
    const read = () => runReading(host, scoped("a"));
    const writing = runWrites(host, [{ argv: ["ovs-vsctl", "set", "Bridge", "b", "x=1"], why: "write" }]);
    await read();
    release();
    await writing;
    await read();
    assert.equal(host.lines().filter((l) => l.endsWith("list a")).length, 2);
  });

  it("runs every read when sharing is off (a process that serves more than one operation)", async () => {
    shareReads(false);
    const host = new RecordingTransport(() => ({ stdout: "x\n" }));
    await runReading(host, sharedOf("a"));
    await runReading(host, sharedOf("a"));
    assert.deepEqual(host.lines(), ["ovs-vsctl --format=json list a", "ovs-vsctl --format=json list a"]);
  });
});

describe("a read that writes follow at once (a delete)", () => {
  it("runs scoped, leaving the host-wide read for the resources that share it", async () => {
    const before = shareReads(true);
    try {
      const host = new RecordingTransport(() => ({ stdout: "x\n" }));
      const wide = query({ argv: ["ovs-vsctl", "--format=json", "list", "All"], why: "read" }, String);
      const r = sharedReading(
        wide,
        () => "wide",
        reading([query({ argv: ["ovs-vsctl", "--format=json", "list", "a"], why: "read" }, String)], () => "scoped"),
      );
      assert.equal(await runReading(host, r, { shared: false }), "scoped");
      assert.deepEqual(host.lines(), ["ovs-vsctl --format=json list a"]);
    } finally {
      shareReads(before);
    }
  });
});
