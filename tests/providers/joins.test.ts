import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RecordingTransport } from "../../transport/recording";
import { LocalTransport } from "../../transport/local";
import { JoinQueue, runChain } from "../../providers/joins";
import { CommandError } from "../../transport/types";
import { readMarkedPorts } from "../../core/compile/vsctl";
import { readRouter } from "../../core/compile/router";

const port = (name: string) => ({
  argv: ["ovs-vsctl", "--may-exist", "add-port", "br-int", name, "--", "set", "Port", name, "tag=1"],
  why: `port ${name}`,
});

/** A host whose commands wait until released, so writes pile up behind the first. */
function slowHost(answer: (argv: string[]) => { code?: number; stderr?: string; stdout?: string } = () => ({})) {
  const gates: Array<() => void> = [];
  const host = new RecordingTransport((c) => new Promise((resolve) => gates.push(() => resolve(answer(c.argv)))));
  const release = async () => {
    while (!gates.length) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { host, release };
}

describe("OVSDB writes of several resources on one host (JoinQueue)", () => {
  it("runs the first at once and the ones issued meanwhile as ONE transaction, in order", async () => {
    const { host, release } = slowHost();
    const queue = new JoinQueue(host);
    const done = [queue.run(port("a")), queue.run(port("b")), queue.run(port("c"))];
    await release();
    await release();
    await Promise.all(done);
    assert.deepEqual(host.lines(), [
      "ovs-vsctl --may-exist add-port br-int a -- set Port a tag=1",
      "ovs-vsctl --may-exist add-port br-int b -- set Port b tag=1 -- --may-exist add-port br-int c -- set Port c tag=1",
    ]);
  });

  it("runs each alone after a joined transaction fails, so only the bad one fails, with its own error", async () => {
    const { host, release } = slowHost((argv) =>
      argv.includes("bad") ? { code: 1, stderr: "ovs-vsctl: no bridge named bad" } : {},
    );
    const queue = new JoinQueue(host);
    const bad = { argv: ["ovs-vsctl", "add-port", "bad", "x"], why: "bad" };
    const results = [queue.run(port("a")), queue.run(bad), queue.run(port("c"))].map((p) =>
      p.then(
        () => "ok",
        (e: Error) => e,
      ),
    );
    for (let i = 0; i < 4; i++) await release();
    const [a, b, c] = await Promise.all(results);
    assert.equal(a, "ok");
    assert.ok(
      b instanceof CommandError &&
        /ovs-vsctl add-port bad x failed \(exit 1\): ovs-vsctl: no bridge named bad/.test(b.message),
    );
    assert.equal(c, "ok");
    assert.deepEqual(host.lines().slice(1), [
      "ovs-vsctl add-port bad x -- --may-exist add-port br-int c -- set Port c tag=1",
      "ovs-vsctl add-port bad x",
      "ovs-vsctl --may-exist add-port br-int c -- set Port c tag=1",
    ]);
  });

  it("never joins what is not a plain transaction: another tool, a read, global options", async () => {
    const { host, release } = slowHost();
    const queue = new JoinQueue(host);
    const others = [
      { argv: ["ip", "netns", "add", "r1"], why: "ns" },
      { argv: ["ovs-vsctl", "--no-wait", "add-br", "br0"], why: "no wait" },
      { argv: ["ovs-vsctl", "--format=json", "list", "Bridge"], why: "read" },
    ];
    const done = [queue.run(port("a")), ...others.map((op) => queue.run(op))];
    for (let i = 0; i < 4; i++) await release();
    await Promise.all(done);
    assert.equal(host.commands.length, 4);
    assert.ok(host.lines().every((line) => !line.includes(" -- --")), host.lines().join("\n"));
  });
});

describe("reads of several resources on one host (JoinQueue)", () => {
  const select = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ rows: [{ i }] })));

  it("sends OVSDB select reads issued meanwhile as ONE transact, each distinct select once, each answered its own", async () => {
    const { host, release } = slowHost((argv) => {
      const ops = JSON.parse(argv[2]).length - 1;
      return { stdout: select(ops) + "\n" };
    });
    const queue = new JoinQueue(host);
    const a = readMarkedPorts("k", "o/s/a", ["qr-a"]);
    const b = readMarkedPorts("k", "o/s/b", ["qr-b"]);
    const done = [queue.run(readMarkedPorts("k", "first", [])), queue.run(a), queue.run(b)];
    await release();
    await release();
    const [, outA, outB] = await Promise.all(done);
    assert.equal(host.commands.length, 2);
    // Bridges (shared), a's marked ports, port and interface by name, then b's three.
    assert.equal(JSON.parse(host.commands[1].argv[2]).length - 1, 7);
    assert.deepEqual(JSON.parse(outA).map((r: { rows: Array<{ i: number }> }) => r.rows[0].i), [0, 1, 2, 3]);
    assert.deepEqual(JSON.parse(outB).map((r: { rows: Array<{ i: number }> }) => r.rows[0].i), [0, 4, 5, 6]);
  });

  it("sends namespace reads issued meanwhile as ONE script, and cuts its output back into each read's own", async () => {
    const { host, release } = slowHost((argv) => {
      const names = argv.slice(4).filter((_, i) => i % 3 === 0);
      const parts = names.map((n) => `@@ovslab-netns ${n}\n@@ovslab absent\n`).join("");
      return { stdout: `@@ovslab host\nlo\n${parts}` };
    });
    const queue = new JoinQueue(host);
    const done = [
      queue.run(readRouter("first", [])),
      queue.run(readRouter("r1", ["net.ipv4.ip_forward", "net.ipv4.conf.all.arp_ignore"])),
      queue.run(readRouter("r2", [], false)),
    ];
    await release();
    await release();
    const [, r1, r2] = await Promise.all(done);
    assert.equal(host.commands.length, 2);
    // Each namespace with its nat choice and its own keys.
    assert.deepEqual(host.commands[1].argv.slice(4), [
      "r1", "nat", "net.ipv4.ip_forward\nnet.ipv4.conf.all.arp_ignore", "r2", "-", "",
    ]);
    assert.equal(r1, "@@ovslab host\nlo\n@@ovslab absent\n");
    assert.equal(r2, "@@ovslab host\nlo\n@@ovslab absent\n");
  });

  it("runs each read alone when the joined one fails, so each gets its own answer or error", async () => {
    const { host, release } = slowHost((argv) =>
      argv.includes("r-bad") ? { code: 1, stderr: "cannot read r-bad" } : { stdout: "@@ovslab host\n@@ovslab absent\n" },
    );
    const queue = new JoinQueue(host);
    const done = [readRouter("first", []), readRouter("r-bad", []), readRouter("r-ok", [])].map((op) =>
      queue.run(op).then((out) => out, (e: Error) => e),
    );
    for (let i = 0; i < 4; i++) await release();
    const [, bad, ok] = await Promise.all(done);
    assert.ok(bad instanceof CommandError && /cannot read r-bad/.test(bad.message));
    assert.equal(ok, "@@ovslab host\n@@ovslab absent\n");
    assert.equal(host.commands.length, 4, "the first, the joined one, then each alone");
  });
});


describe("a resource's writes as one chain (runChain)", () => {
  // Real `sh` runs the chain; each step writes a file, so what ran is on disk.
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-chain-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const touch = (name: string) => ({ argv: ["touch", path.join(dir, name)], why: `make ${name}` });

  it("runs every op in order as ONE command", async () => {
    const host = new RecordingTransport((c) => new LocalTransport().run(c));
    await runChain(host, [touch("a"), touch("b"), { argv: ["sh", "-c", "echo it > \"$0\"", path.join(dir, "c")], why: "write c" }]);
    assert.equal(host.commands.length, 1);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["a", "b", "c"]);
    assert.equal(fs.readFileSync(path.join(dir, "c"), "utf8"), "it\n");
  });

  it("stops at the first failing op and fails as that op would alone: its argv, output and code", async () => {
    const host = new RecordingTransport((c) => new LocalTransport().run(c));
    const failing = { argv: ["sh", "-c", "echo partial; echo 'no such device' >&2; exit 3"], why: "fail" };
    await assert.rejects(runChain(host, [touch("a"), failing, touch("b")]), (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.deepEqual(error.argv, failing.argv);
      assert.equal(error.result.code, 3);
      assert.equal(error.result.stdout, "partial\n");
      assert.equal(error.result.stderr, "no such device\n");
      return true;
    });
    assert.deepEqual(fs.readdirSync(dir), ["a"], "nothing after the failing op ran");
  });
});
