import { strict as assert } from "assert";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { countingListener } from "../../support/listener";
import { closeAll } from "../../../transport/pool";
import { derivedCookie } from "../../../core/openflow/cookie";
import { writesIn } from "../../support/commands";


describe("FlowRule check (through the provider entry point)", () => {
  it("rejects each bad input of issue 3 with a message naming the field, without connecting to the host", async () => {
    const listener = await countingListener();
    try {
      const connection = { host: "127.0.0.1", port: listener.port, privateKey: "k" };
      const rows: Array<[Record<string, unknown>, string]> = [
        [{ match: "in_prot=1" }, 'match: unknown match field "in_prot" (did you mean "in_port"?)'],
        [{ actions: "strp_vlan" }, 'actions: unknown action "strp_vlan" (did you mean "strip_vlan"?); to send to a port of that name, write output:strp_vlan'],
        [{ match: "dl_vlan=4096" }, "match: dl_vlan=4096: must be 0-4095 (or 0xffff for frames without a VLAN header)"],
        [{ priority: 65536 }, "priority: must be 0-65535"],
        [{ table: 255 }, "table: must be 0-253 (OVS keeps table 254 for itself)"],
        [{ match: "in_port=1;reboot" }, 'match: contains ";"; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed'],
        [{ actions: "NORMAL\ndelete" }, "actions: contains a newline; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed"],
        [{ actions: "output:'x'" }, "actions: contains a single quote ('); only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed"],
      ];
      for (const [fields, reason] of rows) {
        const news = { bridge: "br-ex", actions: "NORMAL", ...fields, connection, owner: "lab/dev/rule" };
        const result = await call("flowRule", "check", {}, news);
        assert.deepEqual(result.failures?.map((f: { reason: string }) => f.reason), [reason]);
        const table = await call("flowTable", "check", {}, { bridge: "br-ex", flows: [{ actions: "NORMAL", ...fields }], connection, owner: "lab/dev/t" });
        assert.deepEqual(table.failures?.map((f: { reason: string }) => f.reason), [reason.replace(/^/, "flows[0].")]);
      }
      assert.equal(listener.connections(), 0);
    } finally {
      await listener.close();
    }
  });

  it("returns the inputs with OVS's defaults filled", async () => {
    const result = await call("flowRule", "check", {}, { bridge: "br-ex", actions: "NORMAL", connection: { host: "h" }, owner: "lab/dev/rule" });
    assert.equal(result.failures, undefined);
    assert.deepEqual([result.inputs.table, result.inputs.priority, result.inputs.match], [0, 32768, ""]);
  });
});

/**
 * The seed article on a throwaway host: br-int (fail_mode secure) and br-ex joined by the
 * int-br-ex/phy-br-ex patch pair; on br-ex the article's three flows; on br-int a NORMAL
 * rule, plus the two rules a Neutron agent puts beside it so replies from br-ex (untagged)
 * get back into VLAN 1: `in_port=int-br-ex,vlan_tci=0x0000/0x1fff actions=mod_vlan_vid:1,NORMAL`.
 */
describe("the seed article's flows on a real lab host over SSH @host", function () {
  this.timeout(300_000);
  let lab: LabHost;
  const state: Record<string, Record<string, unknown>> = {};
  const conn = () => lab.connection;
  const owner = (name: string) => `test/seed/${name}`;
  const ofctl = (...args: string[]) => lab.sh(["ovs-ofctl", "-O", "OpenFlow14", ...args]);
  const dumpAll = async (bridge: string) => (await ofctl("--no-stats", "--names", "dump-flows", bridge)).split("\n").filter((l) => l.trim()).sort();

  type Kind = "bridge" | "patchPair" | "flowRule" | "flowTable";
  const specs: Record<string, [Kind, Record<string, unknown>]> = {
    "br-int": ["bridge", { name: "br-int", failMode: "secure", datapathType: "netdev", ports: [{ name: "vlan1", type: "internal", tag: 1 }, { name: "vlan2", type: "internal", tag: 2 }] }],
    "br-ex": ["bridge", { name: "br-ex", datapathType: "netdev", ports: [{ name: "ext", type: "internal" }] }],
    "int-ex": ["patchPair", { a: { bridge: "br-int", port: "int-br-ex" }, b: { bridge: "br-ex", port: "phy-br-ex" } }],
    "ex-normal": ["flowRule", { bridge: "br-ex", priority: 1, actions: "NORMAL" }],
    "ex-strip-vlan-1": ["flowRule", { bridge: "br-ex", priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" }],
    "ex-drop-patch": ["flowRule", { bridge: "br-ex", priority: 2, match: "in_port=phy-br-ex", actions: "drop" }],
    "int-flows": ["flowTable", {
      bridge: "br-int",
      flows: [
        { priority: 3, match: "in_port=int-br-ex,vlan_tci=0x0000/0x1fff", actions: "mod_vlan_vid:1,NORMAL" },
        { priority: 2, match: "in_port=int-br-ex", actions: "drop" },
        { priority: 1, actions: "NORMAL" },
      ],
    }],
  };
  const cookie = (name: string) => derivedCookie(specs[name][0] === "flowRule" ? "FlowRule" : "FlowTable", owner(name));
  const props = (name: string, spec = specs[name][1]) => ({ ...spec, connection: conn(), owner: owner(name) });

  async function create(name: string) {
    const [kind] = specs[name];
    const checked = await call(kind, "check", {}, props(name));
    assert.equal(checked.failures, undefined, JSON.stringify(checked.failures));
    const created = await call(kind, "create", checked.inputs);
    state[name] = created.outs;
    return created;
  }
  /** check + diff as the engine runs them: the checked inputs against the last outputs. */
  async function diff(name: string, spec = specs[name][1]) {
    const [kind] = specs[name];
    const checked = await call(kind, "check", state[name], props(name, spec));
    return call(kind, "diff", "id", state[name], checked.inputs);
  }
  async function update(name: string, spec = specs[name][1]) {
    const [kind] = specs[name];
    const checked = await call(kind, "check", state[name], props(name, spec));
    state[name] = (await call(kind, "update", "id", state[name], checked.inputs)).outs;
  }
  const ping = (ns: string, count = 3) => lab.exec(["ip", "netns", "exec", ns, "ping", "-c", String(count), "-W", "1", "-i", "0.2", "10.0.1.100"]);

  before(async () => {
    lab = await startLabHost();
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("builds the lab: two bridges, the patch pair and the flows, each resource in one write", async () => {
    for (const name of Object.keys(specs)) {
      await lab.resetCommandLog();
      await create(name);
      const writes = writesIn(await lab.commandLog());
      assert.equal(writes.length, 1, `${name}: ${JSON.stringify(writes)}`);
    }
    const ex = await dumpAll("br-ex");
    assert.ok(ex.some((l) => l.includes(`cookie=${cookie("ex-strip-vlan-1")},`) && l.includes('priority=4,in_port="phy-br-ex",dl_vlan=1 actions=pop_vlan,NORMAL')), ex.join("\n"));
    assert.equal(ex.length, 4, "the three rules plus OVS's own priority=0 NORMAL");
    assert.equal((await dumpAll("br-int")).length, 3, "secure br-int has only our table");
  });

  it("re-applying every resource finds nothing to do and runs no write command", async () => {
    await lab.resetCommandLog();
    for (const name of Object.keys(specs)) assert.equal((await diff(name)).changes, false, name);
    assert.deepEqual(writesIn(await lab.commandLog()), []);
  });

  it("carries real traffic: tag 1 reaches the untagged br-ex namespace, tag 2 does not", async () => {
    const addrs: Record<string, [string, string]> = { vlan1: ["ns1", "10.0.1.1"], vlan2: ["ns2", "10.0.1.2"], ext: ["nsx", "10.0.1.100"] };
    for (const [port, [ns, addr]] of Object.entries(addrs)) {
      await lab.sh(["ip", "netns", "add", ns]);
      await lab.sh(["ip", "link", "set", port, "netns", ns]);
      await lab.sh(["ip", "-n", ns, "addr", "add", `${addr}/24`, "dev", port]);
      await lab.sh(["ip", "-n", ns, "link", "set", port, "up"]);
    }
    const one = await ping("ns1");
    assert.equal(one.code, 0, `tag 1 must reach br-ex: ${one.stdout}${one.stderr}`);
    // ext has no VLAN device: its IP stack answers only frames that arrive untagged.
    assert.notEqual((await ping("ns2")).code, 0, "tag 2 must be dropped on br-ex (priority=2,in_port=phy-br-ex actions=drop)");
  });

  it("reports a rule deleted by hand in diff and refresh, and update restores it", async () => {
    await ofctl("del-flows", "br-ex", `cookie=${cookie("ex-strip-vlan-1")}/-1`);
    assert.notEqual((await ping("ns1", 2)).code, 0, "without the strip rule tag 1 is dropped");
    assert.equal((await diff("ex-strip-vlan-1")).changes, true);
    assert.equal((await call("flowRule", "read", "id", state["ex-strip-vlan-1"])).id, "", "refresh sees it gone");
    await update("ex-strip-vlan-1");
    assert.equal((await diff("ex-strip-vlan-1")).changes, false);
    assert.equal((await ping("ns1")).code, 0);
  });

  it("reports a rule whose actions were changed by hand, and update restores it", async () => {
    await ofctl("mod-flows", "br-ex", `cookie=${cookie("ex-strip-vlan-1")}/-1,actions=drop`);
    assert.equal((await diff("ex-strip-vlan-1")).changes, true);
    const refreshed = await call("flowRule", "read", "id", state["ex-strip-vlan-1"]);
    assert.equal(refreshed.props.actions, "drop");
    await update("ex-strip-vlan-1");
    assert.equal((await diff("ex-strip-vlan-1")).changes, false);
    assert.equal((await ping("ns1")).code, 0);
  });

  it("never touches a flow of another cookie: it survives create, update and delete of ours", async () => {
    const foreignFlow = "cookie=0x1234,priority=3,in_port=phy-br-ex,dl_vlan=3,actions=drop";
    await ofctl("add-flow", "br-ex", foreignFlow);
    const foreignLine = (await dumpAll("br-ex")).find((l) => l.includes("cookie=0x1234"));
    assert.ok(foreignLine);
    specs["ex-extra"] = ["flowRule", { bridge: "br-ex", priority: 5, match: "in_port=phy-br-ex,dl_vlan=3", actions: "strip_vlan,NORMAL" }];
    const others = async () => (await dumpAll("br-ex")).filter((l) => !l.includes(cookie("ex-extra")));
    const before = await others();
    await create("ex-extra");
    assert.equal((await dumpAll("br-ex")).length, before.length + 1, "ours was added");
    assert.deepEqual(await others(), before, "create left every other flow as it was");
    await update("ex-extra", { ...specs["ex-extra"][1], actions: "drop", idleTimeout: 600 });
    assert.deepEqual(await others(), before, "update left every other flow as it was");
    await call("flowRule", "delete", "id", state["ex-extra"]);
    assert.deepEqual(await dumpAll("br-ex"), before, "delete removed ours only");
    delete specs["ex-extra"];
  });

  it("updates a rule atomically: a continuous ping across the patch pair loses no packet", async () => {
    const name = "ex-strip-vlan-1";
    const forms = [
      { ...specs[name][1], idleTimeout: 0, actions: "strip_vlan,NORMAL" },
      { ...specs[name][1], idleTimeout: 3600, actions: "strip_vlan,output:ext" },
    ];
    const pinging = lab.exec(["ip", "netns", "exec", "ns1", "ping", "-c", "500", "-i", "0.01", "-W", "1", "10.0.1.100"]);
    let done = false;
    void pinging.then(() => (done = true));
    let updates = 0;
    await lab.resetCommandLog();
    while (!done) await update(name, forms[++updates % 2]);
    const result = await pinging;
    const [, sent, received] = /(\d+) packets transmitted, (\d+) received/.exec(result.stdout) ?? [];
    const bundles = writesIn(await lab.commandLog()).filter((argv) => argv.includes("--bundle"));
    assert.ok(bundles.length >= 10 && bundles.length === updates, `only ${bundles.length} bundles ran during the ping`);
    assert.equal(Number(sent), 500);
    console.log(`      (${updates} atomic updates during ${sent} pings, ${received} answered)`);
    assert.equal(Number(received), 500, `lost ${Number(sent) - Number(received)} of ${sent} packets over ${updates} updates`);
    await update(name);
  });

  /** n_packets and duration of each flow of a cookie, keyed by priority (dump-flows with statistics). */
  async function counters(bridge: string, c: string): Promise<Map<number, { packets: number; seconds: number }>> {
    const dump = await ofctl("dump-flows", bridge, `cookie=${c}/-1`);
    const out = new Map<number, { packets: number; seconds: number }>();
    for (const line of dump.split("\n")) {
      const m = /duration=([\d.]+)s.*n_packets=(\d+).*priority=(\d+)/.exec(line);
      if (m) out.set(Number(m[3]), { seconds: Number(m[1]), packets: Number(m[2]) });
    }
    return out;
  }

  it("updates a FlowTable while 100 packets a second cross it: none lost, unchanged flows keep n_packets and duration", async () => {
    const name = "int-flows";
    const base = specs[name][1] as { flows: Array<Record<string, unknown>> };
    const extra = { priority: 5, match: "in_port=int-br-ex,dl_vlan=77", actions: "drop" };
    const forms = [base, { ...base, flows: [extra, ...base.flows] }];
    const c = cookie(name);
    const before = await counters("br-int", c);
    const started = Date.now();
    // 100 pps for 4 s: requests hit priority=1 (NORMAL), replies priority=3 (mod_vlan_vid:1,NORMAL).
    const pinging = lab.exec(["ip", "netns", "exec", "ns1", "ping", "-c", "400", "-i", "0.01", "-W", "1", "10.0.1.100"]);
    let done = false;
    void pinging.then(() => (done = true));
    let updates = 0;
    await lab.resetCommandLog();
    while (!done) await update(name, forms[++updates % 2]);
    const result = await pinging;
    const elapsed = (Date.now() - started) / 1000;
    const [, sent, received] = /(\d+) packets transmitted, (\d+) received/.exec(result.stdout) ?? [];
    const bundles = writesIn(await lab.commandLog()).filter((argv) => argv.includes("--bundle"));
    assert.ok(bundles.length >= 10 && bundles.length === updates, `only ${bundles.length} bundles ran during the ping`);
    if (updates % 2) await update(name); // back to the declared table (one more update; the counters stay)
    assert.equal(Number(received), 400, `lost ${Number(sent) - Number(received)} of ${sent} packets over ${updates} FlowTable updates`);
    // OVS adds the datapath's counts to its flows every second or so: wait until they show
    // the pings (a flow whose counters were reset would stay far below `before` + 400).
    let after = await counters("br-int", c);
    const settled = () => [1, 3].every((p) => after.get(p)!.packets >= before.get(p)!.packets + 400);
    for (let wait = 0; wait < 20 && !settled(); wait++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await counters("br-int", c);
    }
    for (const priority of [1, 3]) {
      const [b, a] = [before.get(priority)!, after.get(priority)!];
      console.log(`      (priority=${priority}: ${b.packets} packets / ${b.seconds} s before, ${a.packets} / ${a.seconds} s after ${updates} updates)`);
      assert.ok(a.packets >= b.packets + 400, `priority=${priority} kept its count: ${b.packets} -> ${a.packets}`);
      assert.ok(a.seconds >= b.seconds + elapsed - 1, `priority=${priority} kept its age: ${b.seconds} s -> ${a.seconds} s over ${elapsed} s`);
    }
  });

  it("is a test that can fail: rewriting a FlowTable as delete-by-cookie + add (the old bundle) resets the counters", async () => {
    const c = cookie("int-flows");
    const before = (await counters("br-int", c)).get(1)!;
    assert.ok(before.packets > 400, `${before.packets} packets counted so far`);
    const flows = (specs["int-flows"][1] as { flows: Array<{ priority: number; match?: string; actions: string }> }).flows;
    const lines = [`delete cookie=${c}/-1`, ...flows.map((f) => `add priority=${f.priority},cookie=${c},${f.match ? f.match + "," : ""}actions=${f.actions}`)];
    await lab.sh(["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br-int", "-"], lines.join("\n") + "\n");
    const after = (await counters("br-int", c)).get(1)!;
    assert.ok(after.packets < before.packets && after.seconds < before.seconds, `reset: ${JSON.stringify({ before, after })}`);
    assert.equal((await diff("int-flows")).changes, false, "the same flows, so nothing to do");
  });

  it("is a test that can fail: the same ping across a delete and an add that are NOT one bundle loses packets", async () => {
    const c = cookie("ex-strip-vlan-1");
    const pinging = lab.exec(["ip", "netns", "exec", "ns1", "ping", "-c", "200", "-i", "0.01", "-W", "1", "10.0.1.100"]);
    let done = false;
    void pinging.then(() => (done = true));
    for (let n = 0; !done; n++) {
      await ofctl("del-flows", "br-ex", `cookie=${c}/-1`);
      await ofctl("add-flow", "br-ex", `cookie=${c},priority=4,in_port=phy-br-ex,dl_vlan=1,idle_timeout=${n % 2 ? 3600 : 0},actions=strip_vlan,NORMAL`);
    }
    const [, sent, received] = /(\d+) packets transmitted, (\d+) received/.exec((await pinging).stdout) ?? [];
    assert.ok(Number(received) < Number(sent), `${received} of ${sent} answered`);
    await update("ex-strip-vlan-1");
    assert.equal((await diff("ex-strip-vlan-1")).changes, false);
  });

  it("after a fail_mode change by hand flushed br-ex, diff reports the rules missing and update restores them", async () => {
    await lab.sh(["ovs-vsctl", "set-fail-mode", "br-ex", "secure"]);
    assert.deepEqual(await dumpAll("br-ex"), [], "OVS flushed every flow of br-ex");
    assert.notEqual((await ping("ns1", 2)).code, 0);
    for (const name of ["ex-normal", "ex-strip-vlan-1", "ex-drop-patch"]) {
      assert.equal((await diff(name)).changes, true, name);
      await update(name);
      assert.equal((await diff(name)).changes, false, name);
    }
    assert.equal((await ping("ns1")).code, 0, "traffic flows again");
    assert.notEqual((await ping("ns2", 2)).code, 0, "and tag 2 is still dropped");
  });

  it("a Bridge's own fail_mode change keeps every flow: OVS flushes them, the Bridge adds them back as they were", async () => {
    const before = await dumpAll("br-ex");
    await update("br-ex", { ...specs["br-ex"][1], failMode: "secure" });
    assert.equal((await lab.sh(["ovs-vsctl", "get-fail-mode", "br-ex"])).trim(), "secure");
    assert.deepEqual(await dumpAll("br-ex"), before.filter((f) => !/priority=0 actions=NORMAL/.test(f)));
    for (const name of ["ex-normal", "ex-strip-vlan-1", "ex-drop-patch"]) assert.equal((await diff(name)).changes, false, name);
    assert.equal((await ping("ns1")).code, 0, "traffic still flows");
  });

  it("delete removes our flows and ports only; the bridges and their other flows stay", async () => {
    await ofctl("add-flow", "br-ex", "cookie=0x1234,priority=3,in_port=phy-br-ex,dl_vlan=3,actions=drop");
    for (const name of ["ex-normal", "ex-strip-vlan-1", "ex-drop-patch", "int-flows", "int-ex"]) {
      await call(specs[name][0], "delete", "id", state[name]);
    }
    const ex = await dumpAll("br-ex");
    assert.equal(ex.length, 1);
    assert.match(ex[0], /cookie=0x1234,/);
    assert.deepEqual(await dumpAll("br-int"), []);
    const ports = (await lab.sh(["ovs-vsctl", "list-ports", "br-ex"])).split("\n").filter(Boolean);
    assert.deepEqual(ports, ["ext"], "the patch end is gone, the Bridge's own port stays");
    for (const name of ["br-int", "br-ex"]) await call("bridge", "delete", "id", state[name]);
  });
});
