// Joined OVSDB writes on a real host: the joined transaction that fails commits nothing
// (what TransactionQueue's fallback relies on), and resources' concurrent writes reach
// the host as one ovs-vsctl run, each failure still its own.
import { strict as assert } from "node:assert";
import { startLabHost, LabHost } from "../../lab";
import { closeAll, transportFor } from "../../transport/pool";
import { TransactionQueue } from "../../providers/transactions";

const addPort = (bridge: string, port: string) => ({
  argv: ["ovs-vsctl", "--may-exist", "add-port", bridge, port, "--", "set", "Interface", port, "type=internal"],
  why: `add ${port}`,
});

describe("OVSDB writes joined into one transaction, on a lab host @host", function () {
  this.timeout(120_000);
  let lab: LabHost;
  const ports = async () => (await lab.sh(["ovs-vsctl", "list-ports", "br0"])).split("\n").filter(Boolean).sort();
  const writes = async () =>
    (await lab.commandLog()).filter((argv) => argv[0].endsWith("ovs-vsctl") && argv.includes("add-port"));

  before(async () => {
    lab = await startLabHost();
    await lab.sh(["ovs-vsctl", "add-br", "br0", "--", "set", "Bridge", "br0", "datapath_type=netdev"]);
  });

  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("commits nothing of a joined transaction when one of its commands fails", async () => {
    const joined = [
      "ovs-vsctl",
      ...addPort("br0", "c").argv.slice(1),
      "--",
      ...addPort("no-such-br", "x").argv.slice(1),
    ];
    const result = await lab.exec(joined);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no bridge named no-such-br/);
    assert.deepEqual(await ports(), []);
  });

  it("sends the writes issued while one runs as one transaction; a bad one fails alone, the others land", async () => {
    const queue = new TransactionQueue(transportFor(lab.connection as never));
    await lab.resetCommandLog();
    const results = await Promise.all(
      [addPort("br0", "a"), addPort("br0", "b"), addPort("no-such-br", "x"), addPort("br0", "d")].map((op) =>
        queue.run(op).then(() => "ok", (e: Error) => e.message),
      ),
    );
    assert.deepEqual(results.slice(0, 2), ["ok", "ok"]);
    assert.match(
      results[2],
      /ovs-vsctl --may-exist add-port no-such-br x .*failed \(exit 1\).*no bridge named no-such-br/,
    );
    assert.equal(results[3], "ok");
    assert.deepEqual(await ports(), ["a", "b", "d"]);
    const runs = (await writes()).map((argv) => argv.filter((w) => w === "add-port").length);
    assert.deepEqual(runs, [1, 3, 1, 1, 1], "a alone, then b, x, d joined and refused, then each alone");
  });
});
