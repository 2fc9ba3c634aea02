import { strict as assert } from "assert";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { closeAll } from "../../../transport/pool";
import { derivedCookie } from "../../../core/openflow/cookie";
import { writesIn } from "../../support/commands";

describe("FlowTable provider against a real lab host over SSH @host", function () {
  this.timeout(180_000);
  let lab: LabHost;
  let table: Record<string, unknown>;
  const OWNER = "test/flows/acl";
  const COOKIE = derivedCookie("FlowTable", OWNER);
  const N = 2000;
  /** N rules dropping TCP to ports 1000.., and the NORMAL rule after them. */
  const flows = (actions = "drop") => [
    ...Array.from({ length: N }, (_, i) => ({ table: 1, priority: 100, match: `tcp,tp_dst=${1000 + i}`, actions })),
    { table: 1, priority: 1, actions: "NORMAL" },
  ];
  const spec = { bridge: "br-big", flows: flows() };
  const props = (s: Record<string, unknown>, owner = OWNER) => ({ ...s, connection: lab.connection, owner });
  const ofctl = (...args: string[]) => lab.sh(["ovs-ofctl", "-O", "OpenFlow14", ...args]);
  const count = async (filter = "") =>
    (await ofctl("--no-stats", "dump-flows", "br-big", ...(filter ? [filter] : []))).split("\n").filter((l) => l.trim())
      .length;
  const timed = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await run();
    console.log(`      (${what}: ${Date.now() - started} ms)`);
    return result;
  };
  async function bridge(name: string, extra: Record<string, unknown> = {}) {
    const checked = await call(
      "bridge",
      "check",
      {},
      props({ name, datapathType: "netdev", ...extra }, `test/flows/${name}`),
    );
    return (await call("bridge", "create", checked.inputs)).outs;
  }

  before(async () => {
    lab = await startLabHost();
    await bridge("br-big");
    await ofctl("add-flow", "br-big", "cookie=0x1234,table=1,priority=100,tcp,tp_dst=5000,actions=NORMAL");
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("refuses to add a flow that would replace another cookie's flow of the same table, priority and match", async () => {
    await ofctl("add-flow", "br-big", "cookie=0x77,table=1,priority=100,tcp,tp_dst=1500,actions=NORMAL");
    await lab.resetCommandLog();
    const checked = await call("flowTable", "check", {}, props(spec));
    await assert.rejects(call("flowTable", "create", checked.inputs), (e: Error) => {
      assert.equal(e.name, "OwnershipConflict");
      assert.match(
        e.message,
        /bridge br-big already has a flow with table=1, priority=100 and match "tcp,tp_dst=1500" under cookie 0x77, which is not ours/,
      );
      return true;
    });
    assert.deepEqual(writesIn(await lab.commandLog()), []);
    await ofctl("del-flows", "br-big", "cookie=0x77/-1");
  });

  it(`creates ${N + 1} flows with one bundle`, async () => {
    await lab.resetCommandLog();
    const checked = await call("flowTable", "check", {}, props(spec));
    table = (await timed(`create ${N + 1} flows`, () => call("flowTable", "create", checked.inputs))).outs;
    const writes = writesIn(await lab.commandLog());
    assert.deepEqual(writes, [["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br-big", "-"]]);
    assert.equal(await count(`cookie=${COOKIE}/-1`), N + 1);
    assert.equal((table.flows as unknown[]).length, N + 1);
  });

  it("re-applying finds nothing to do and runs no write command", async () => {
    await lab.resetCommandLog();
    const checked = await call("flowTable", "check", table, props(spec));
    assert.equal((await timed("diff", () => call("flowTable", "diff", "id", table, checked.inputs))).changes, false);
    assert.deepEqual(writesIn(await lab.commandLog()), []);
  });

  it("sees one rule changed by hand and rewrites the table in one bundle", async () => {
    await ofctl("mod-flows", "br-big", `cookie=${COOKIE}/-1,table=1,tcp,tp_dst=1234,actions=NORMAL`);
    const checked = await call("flowTable", "check", table, props(spec));
    assert.equal((await call("flowTable", "diff", "id", table, checked.inputs)).changes, true);
    await lab.resetCommandLog();
    table = (await timed("update", () => call("flowTable", "update", "id", table, checked.inputs))).outs;
    assert.equal(writesIn(await lab.commandLog()).length, 1);
    assert.match(
      await ofctl("--no-stats", "dump-flows", "br-big", `cookie=${COOKIE}/-1,table=1,tcp,tp_dst=1234`),
      /actions=drop/,
    );
  });

  it("leaves the flow of another cookie alone through create, update and delete", async () => {
    const foreign = await ofctl("--no-stats", "dump-flows", "br-big", "cookie=0x1234/-1");
    assert.match(foreign, /tp_dst=5000 actions=NORMAL/);
    await call("flowTable", "delete", "id", table);
    assert.equal(await count(`cookie=${COOKIE}/-1`), 0);
    assert.equal(await ofctl("--no-stats", "dump-flows", "br-big", "cookie=0x1234/-1"), foreign);
    assert.equal(await count(), 2, "the foreign flow and OVS's default NORMAL flow remain");
  });

  it("refuses a bridge whose protocols lack OpenFlow14 before writing anything, saying how to fix it", async () => {
    await bridge("br-of13", { protocols: ["OpenFlow10", "OpenFlow13"] });
    await lab.resetCommandLog();
    const checked = await call("flowTable", "check", {}, props({ bridge: "br-of13", flows: [{ actions: "NORMAL" }] }));
    await assert.rejects(call("flowTable", "create", checked.inputs), (e: Error) => {
      assert.equal(e.name, "OpenFlowVersionError");
      assert.match(
        e.message,
        /bridge br-of13 allows only OpenFlow10,OpenFlow13, .*Add "OpenFlow14" to the bridge's protocols/,
      );
      return true;
    });
    assert.deepEqual(writesIn(await lab.commandLog()), []);
    // And what OVS says when asked anyway: the obscure failure the check spares users.
    const raw = await lab.exec(["ovs-ofctl", "--bundle", "add-flows", "br-of13", "-"], "add actions=NORMAL\n");
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /version negotiation failed/);
  });

  it("refuses a bridge that does not exist, naming it", async () => {
    const checked = await call("flowTable", "check", {}, props({ bridge: "br-nope", flows: [] }));
    await assert.rejects(call("flowTable", "create", checked.inputs), /bridge br-nope does not exist on the host/);
  });
});
