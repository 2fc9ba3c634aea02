// Joined commands on a real host: the joined transaction that fails commits nothing (what
// JoinQueue's fallback relies on), resources' concurrent writes reach the host as one
// ovs-vsctl run, each failure still its own, and joined reads answer each resource what
// its own read would have.
import { strict as assert } from "node:assert";
import { startLabHost, LabHost } from "../../lab";
import { closeAll, transportFor } from "../../transport/pool";
import { JoinQueue } from "../../providers/joins";
import { readMarkedPorts } from "../../core/compile/vsctl";
import { readRouter } from "../../core/compile/router";
import { Op } from "../../core/shell";

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
    const queue = new JoinQueue(transportFor(lab.connection as never));
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

  it("answers reads issued at the same moment from one command each family, as each would have read alone", async () => {
    await lab.sh(["ip", "netns", "add", "jr-a"]);
    try {
      await lab.sh(["ovs-vsctl", "add-port", "br0", "jr-p", "--", "set", "Interface", "jr-p", "type=internal",
        "--", "set", "Port", "jr-p", "external_ids:ovslab-owner=o/s/r"]);
      await lab.sh(["ip", "link", "set", "jr-p", "netns", "jr-a"]);
      const reads: Op[] = [
        readRouter("jr-a", ["net.ipv4.ip_forward", "net.ipv4.conf.all.arp_ignore"]),
        readRouter("jr-absent", []),
        readRouter("jr-a", [], false),
        readMarkedPorts("ovslab-owner", "o/s/r", ["jr-p"]),
        readMarkedPorts("ovslab-owner", "o/s/other", ["a", "nothing"]),
      ];
      // iptables-save stamps its output with the time: not part of what is compared.
      const unstamped = (out: string) => out.replace(/^# (Generated|Completed) .*\n/gm, "");
      const alone = await Promise.all(reads.map(async (op) => unstamped((await lab.exec(op.argv)).stdout)));
      const queue = new JoinQueue(transportFor(lab.connection as never));
      await queue.run({ argv: ["true"], why: "connect first" });
      await lab.resetCommandLog();
      const first = [queue.run(readRouter("jr-absent", ["x"])), queue.run(readMarkedPorts("k", "v", []))];
      const joined = await Promise.all([...first, ...reads.map((op) => queue.run(op))]);
      assert.deepEqual(joined.slice(2).map(unstamped), alone);
      assert.match(alone[0], /"ifname":"jr-p"/);
      assert.match(alone[0], /@@ovslab nat\n\*nat/);
      assert.doesNotMatch(alone[2], /@@ovslab nat/, "the read without its nat table");
      assert.match(alone[2], /@@ovslab sysctl/);
      assert.match(alone[3], /"jr-p"/);
      const log = await lab.commandLog();
      assert.equal(log.filter((argv) => argv[0].endsWith("ovsdb-client")).length, 2, "the first alone, then one for four");
      assert.equal(log.filter((argv) => argv.includes("-details")).length, 2, "jr-a, once for each of its two reads");
      assert.equal(log.filter((argv) => argv[0].endsWith("iptables-save")).length, 1, "jr-a's nat table, for one read");
    } finally {
      await lab.sh(["ip", "netns", "delete", "jr-a"]);
      await lab.sh(["ovs-vsctl", "--if-exists", "del-port", "jr-p"]);
    }
  });
});
