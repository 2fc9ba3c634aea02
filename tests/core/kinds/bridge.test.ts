import { strict as assert } from "assert";
import * as fs from "node:fs";
import { bridgeKind } from "../../../core/kinds/bridge";
import { bridgesOf } from "../../../core/live/bridge";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { closeAll } from "../../../transport/pool";
import { writesIn } from "../../support/commands";

const OWNER = "test/dev/br-lab";

describe("Bridge provider against a real lab host over SSH @host", function () {
  this.timeout(120_000);
  let lab: LabHost;
  let state: Record<string, unknown>;
  let showBefore: string;
  // `ovs-vsctl show` without OVS's error lines: status that ovs-vswitchd sets and clears in its own time
  // (a hand-made patch port's "No usable peer" comes and goes), not configuration anyone wrote.
  const configOf = (show: string) => show.replace(/^\s*error: .*\n/gm, "");
  const props = (spec: Record<string, unknown>) => ({ ...spec, connection: lab.connection, owner: OWNER });
  const spec = {
    name: "br-lab",
    failMode: "standalone",
    datapathType: "netdev",
    ports: [
      { name: "vm1", type: "internal", tag: 10 },
      { name: "vm2", type: "internal", tag: 10 },
      { name: "vm3", type: "internal", tag: 20 },
      { name: "peer-a", type: "patch", options: { peer: "peer-b" } },
    ],
  };
  const vsctl = (...args: string[]) => lab.sh(["ovs-vsctl", ...args]);
  /** check + diff as the engine runs them: the checked inputs, diffed against the last outputs. */
  async function diff(news = spec) {
    const checked = await call("bridge", "check", state, props(news));
    return call("bridge", "diff", "br-lab", state, checked.inputs);
  }
  async function update(news = spec) {
    const checked = await call("bridge", "check", state, props(news));
    state = (await call("bridge", "update", "br-lab", state, checked.inputs)).outs;
  }

  before(async () => {
    lab = await startLabHost();
    // A bridge made by hand, holding the far end of our patch port: not ours, never touched.
    await vsctl("add-br", "br-hand", "--", "set", "Bridge", "br-hand", "datapath_type=netdev",
      "--", "add-port", "br-hand", "peer-b", "--", "set", "Interface", "peer-b", "type=patch", "options:peer=peer-a");
    showBefore = configOf(await vsctl("show"));
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("creates the bridge and its ports in one ovs-vsctl transaction", async () => {
    await lab.resetCommandLog();
    const checked = await call("bridge", "check", {}, props(spec));
    const created = await call("bridge", "create", checked.inputs);
    state = created.outs;
    assert.equal(created.id, "br-lab");
    assert.equal((await vsctl("get", "Bridge", "br-lab", "datapath_type")).trim(), "netdev");
    assert.equal((await vsctl("get", "Port", "vm3", "tag")).trim(), "20");
    assert.equal((await vsctl("get", "Interface", "peer-a", "options:peer")).trim(), 'peer-b');
    const writes = writesIn(await lab.commandLog());
    assert.equal(writes.length, 1, JSON.stringify(writes));
    assert.equal(writes[0][0], "ovs-vsctl");
  });

  it("re-applying the same spec finds nothing to do and runs no write command", async () => {
    await lab.resetCommandLog();
    assert.equal((await diff()).changes, false);
    const log = await lab.commandLog();
    assert.ok(log.length >= 1, "diff must read the live host");
    assert.deepEqual(writesIn(log), []);
  });

  const drifts: Array<[string, string[], (seen: any) => unknown, unknown]> = [
    ["a tag changed", ["set", "Port", "vm1", "tag=99"], (s) => s.ports[0].tag, 99],
    ["a port deleted", ["del-port", "br-lab", "vm2"], (s) => s.ports.some((p: any) => p.name === "vm2"), false],
    ["fail_mode changed", ["set", "Bridge", "br-lab", "fail_mode=secure"], (s) => s.failMode, "secure"],
    [
      "an interface option changed",
      ["set", "Interface", "peer-a", "options:peer=elsewhere"],
      (s) => s.ports.find((p: any) => p.name === "peer-a").options.peer,
      "elsewhere",
    ],
  ];
  for (const [what, command, field, drifted] of drifts) {
    it(`sees ${what} by hand in diff and refresh, and update repairs it`, async () => {
      await vsctl(...command);
      assert.equal((await diff()).changes, true);
      const refreshed = await call("bridge", "read", "br-lab", state);
      assert.deepEqual(field(refreshed.props), drifted);
      await update();
      assert.equal((await diff()).changes, false);
      assert.notDeepEqual(field(state), drifted);
    });
  }

  it("access ports with the same tag reach each other and ports with another tag do not", async () => {
    const addrs: Record<string, string> = { vm1: "10.9.0.1", vm2: "10.9.0.2", vm3: "10.9.0.3" };
    for (const [port, addr] of Object.entries(addrs)) {
      await lab.sh(["ip", "netns", "add", `ns-${port}`]);
      await lab.sh(["ip", "link", "set", port, "netns", `ns-${port}`]);
      await lab.sh(["ip", "-n", `ns-${port}`, "addr", "add", `${addr}/24`, "dev", port]);
      await lab.sh(["ip", "-n", `ns-${port}`, "link", "set", port, "up"]);
    }
    const ping = (from: string, to: string) =>
      lab.exec(["ip", "netns", "exec", `ns-${from}`, "ping", "-c", "2", "-W", "1", "-i", "0.2", addrs[to]]);
    assert.equal((await ping("vm1", "vm2")).code, 0, "same tag 10 must pass");
    assert.notEqual((await ping("vm1", "vm3")).code, 0, "tag 10 must not reach tag 20");
    // The ports now live in namespaces: give them back so later steps see the host as before.
    for (const port of Object.keys(addrs)) await lab.sh(["ip", "netns", "del", `ns-${port}`]);
  });

  it("keeps a port added by hand through update and delete", async () => {
    await vsctl("add-port", "br-lab", "hand1", "--", "set", "Interface", "hand1", "type=internal");
    await update({ ...spec, ports: spec.ports.slice(0, 3) });
    assert.match(await vsctl("list-ports", "br-lab"), /hand1/);
    assert.doesNotMatch(await vsctl("list-ports", "br-lab"), /peer-a/, "our dropped port is gone");
    await call("bridge", "delete", "br-lab", state);
    const left = (await vsctl("list-ports", "br-lab")).split("\n").filter(Boolean);
    assert.deepEqual(left, ["hand1"], "only the hand-made port remains; the bridge stays for it");
    assert.equal((await vsctl("br-get-external-id", "br-lab", "ovslab-owner")).trim(), "", "our mark is gone");
    await vsctl("del-br", "br-lab");
  });

  it("delete removes the bridge and leaves the host as it was", async () => {
    const checked = await call("bridge", "check", {}, props(spec));
    state = (await call("bridge", "create", checked.inputs)).outs;
    await call("bridge", "delete", "br-lab", state);
    assert.equal(configOf(await vsctl("show")), showBefore);
    assert.equal((await call("bridge", "read", "br-lab", state)).id, "", "read reports it gone");
  });

  it("fails a bridge ovs-vswitchd could not set up, naming the datapath and the fix, and converges on netdev", async function () {
    // Where the kernel module is loaded the system datapath works and there is nothing to refuse.
    if (fs.existsSync("/sys/module/openvswitch")) this.skip();
    const system = { name: "br-sys", datapathType: "system", ports: [] };
    const checked = await call("bridge", "check", {}, props(system));
    await assert.rejects(
      call("bridge", "create", checked.inputs),
      /bridge br-sys: ovs-vswitchd could not set it up .*datapathType "system" needs the openvswitch kernel module.*set datapathType: "netdev"/,
    );
    const netdev = (await call("bridge", "check", {}, props({ ...system, datapathType: "netdev" }))).inputs;
    const updated = await call("bridge", "update", "br-sys", { ...checked.inputs, connection: lab.connection }, netdev);
    assert.equal(updated.outs.datapathType, "netdev");
    assert.match(await lab.sh(["ovs-ofctl", "dump-flows", "br-sys"]), /actions=NORMAL/, "OVS runs the bridge now");
    await call("bridge", "delete", "br-sys", updated.outs);
    assert.equal(configOf(await vsctl("show")), showBefore);
  });
});

describe("bridgeKind.verify", () => {
  // The bridge's own interface as decoded from OVSDB: ofport [] when ovs-vswitchd did not set it up, -1 when it failed.
  const live = (ofport: unknown) =>
    bridgesOf(
      [{ _uuid: "b", name: "br-x", ports: "p" }],
      [{ _uuid: "p", name: "br-x", interfaces: "i" }],
      [{ _uuid: "i", name: "br-x", type: "internal", ofport }],
    );
  const spec = (datapathType: string) => bridgeKind.schema.parse({ name: "br-x", datapathType });

  it("says a bridge without an OpenFlow port was not set up, with the netdev hint for the system datapath", () => {
    const [problem] = bridgeKind.verify!(spec("system"), live([]));
    assert.match(problem, /^bridge br-x: ovs-vswitchd could not set it up .*set datapathType: "netdev"/);
    assert.doesNotMatch(bridgeKind.verify!(spec("netdev"), live(-1))[0], /kernel module/);
  });

  it("finds nothing wrong with a bridge whose own interface has its OpenFlow port", () => {
    assert.deepEqual(bridgeKind.verify!(spec("system"), live(65534)), []);
  });
});
