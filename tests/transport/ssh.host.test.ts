// SshTransport against a real OpenSSH server and real OVS: a throwaway lab VM.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { startLabHost, LabHost } from "../../lab/host";
import { SshTransport } from "../../transport/ssh";

describe("SshTransport against a lab host @host", () => {
  let lab: LabHost;
  const open: SshTransport[] = [];
  function transport(extra: object = {}): SshTransport {
    const t = new SshTransport({ ...lab.connection, ...extra }, { retryDelayMs: () => 100 });
    open.push(t);
    return t;
  }

  before(async () => (lab = await startLabHost()));
  after(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
    await lab?.stop();
  });

  it("runs plain ovs-vsctl and ip on the host and parses their JSON", async () => {
    const t = transport();
    await t.run({
      argv: ["ovs-vsctl", "--may-exist", "add-br", "br-t1", "--", "set", "Bridge", "br-t1", "datapath_type=netdev"],
    });
    const bridges = JSON.parse(
      (await t.run({ argv: ["ovs-vsctl", "--format=json", "--columns=name", "list", "Bridge"] })).stdout,
    );
    assert.deepEqual(bridges.data, [["br-t1"]]);
    const links = JSON.parse((await t.run({ argv: ["ip", "-json", "link", "show", "br-t1"] })).stdout);
    assert.equal(links[0].ifname, "br-t1");
    await t.run({ argv: ["ovs-vsctl", "--if-exists", "del-br", "br-t1"] });
  });

  it("feeds a flow file on stdin to ovs-ofctl --bundle", async () => {
    const t = transport();
    await t.run({
      argv: ["ovs-vsctl", "--may-exist", "add-br", "br-t2", "--", "set", "Bridge", "br-t2", "datapath_type=netdev"],
    });
    const add = await t.run({
      argv: ["ovs-ofctl", "--bundle", "add-flows", "br-t2", "-"],
      stdin: "table=0,priority=5,cookie=0x5,actions=drop\n",
    });
    assert.equal(add.code, 0, add.stderr);
    const flows = await t.run({ argv: ["ovs-ofctl", "--no-stats", "dump-flows", "br-t2", "cookie=0x5/-1"] });
    assert.match(flows.stdout, /cookie=0x5, priority=5 actions=drop/);
    await t.run({ argv: ["ovs-vsctl", "--if-exists", "del-br", "br-t2"] });
  });

  it("logs in once for many commands and costs a few milliseconds per command", async () => {
    const before = await lab.sshLogins();
    const t = transport();
    await t.run({ argv: ["true"] });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) await t.run({ argv: ["true"] });
    const perCommandMs = Number(process.hrtime.bigint() - start) / 1e6 / 50;
    assert.equal((await lab.sshLogins()) - before, 1);
    assert.ok(perCommandMs < 5, `per command ${perCommandMs.toFixed(2)} ms`);
  });

  it("accepts the host through the lab's known_hosts and refuses it through an empty one", async () => {
    const known = transport({ hostKey: undefined, knownHostsPath: join(lab.dir, "known_hosts") });
    assert.equal((await known.run({ argv: ["hostname"] })).stdout.trim(), lab.name);
    const unknown = transport({ hostKey: undefined, knownHostsPath: join(lab.dir, "absent") });
    await assert.rejects(unknown.run({ argv: ["true"] }), /is not trusted: no hostKey is pinned/);
  });

  it("fails the running command when sshd dies, and reconnects once sshd is back", async () => {
    const t = transport();
    await t.run({ argv: ["true"] });
    const running = t.run({ argv: ["ovs-vsctl", "--timeout=10", "wait-until", "Bridge", "br-never"] });
    await new Promise((r) => setTimeout(r, 300));
    const lost = assert.rejects(
      running,
      new RegExp(
        `^Error: ssh root@127\\.0\\.0\\.1:${lab.connection.port}: connection lost while running ovs-vsctl --timeout=10 wait-until Bridge br-never`,
      ),
    );
    await lab.stopSsh();
    await lost;
    await lab.startSsh();
    assert.equal((await t.run({ argv: ["echo", "back"] })).stdout, "back\n");
    assert.equal(t.stats().connectionsOpened, 2);
  });

  it("retries the dial while sshd is down and connects when it returns", async () => {
    await lab.stopSsh();
    const t = transport({ dialErrorLimit: 50 });
    const pending = t.run({ argv: ["echo", "late"] });
    await new Promise((r) => setTimeout(r, 500));
    await lab.startSsh();
    assert.equal((await pending).stdout, "late\n");
  });
});
