import { strict as assert } from "node:assert";
import { RecordingTransport } from "../../transport/recording";
import { TransactionQueue } from "../../providers/transactions";
import { CommandError } from "../../transport/types";

const port = (name: string) => ({
  argv: ["ovs-vsctl", "--may-exist", "add-port", "br-int", name, "--", "set", "Port", name, "tag=1"],
  why: `port ${name}`,
});

/** A host whose commands wait until released, so writes pile up behind the first. */
function slowHost(answer: (argv: string[]) => { code?: number; stderr?: string } = () => ({})) {
  const gates: Array<() => void> = [];
  const host = new RecordingTransport((c) => new Promise((resolve) => gates.push(() => resolve(answer(c.argv)))));
  const release = async () => {
    while (!gates.length) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { host, release };
}

describe("OVSDB writes of several resources on one host (TransactionQueue)", () => {
  it("runs the first at once and the ones issued meanwhile as ONE transaction, in order", async () => {
    const { host, release } = slowHost();
    const queue = new TransactionQueue(host);
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
    const queue = new TransactionQueue(host);
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
    const queue = new TransactionQueue(host);
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
