import { strict as assert } from "assert";
import { startLabHost, LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { closeAll } from "../../../transport/pool";
import { writesIn } from "../../support/commands";

describe("PatchPair check (through the provider entry point)", () => {
  it("rejects bad ends with messages naming each field", async () => {
    const news = {
      a: { bridge: "br-int", port: "int-br-ex", tag: 4096 }, b: { bridge: "br-int", port: "int-br-ex" },
      connection: { host: "127.0.0.1" }, owner: "lab/dev/pair",
    };
    const result = await call("patchPair", "check", {}, news);
    assert.deepEqual(result.failures?.map((f: { reason: string }) => f.reason), [
      "a.tag: must be 0-4095",
      "b.port: is also a.port; the two ends need two names",
      "b.bridge: is also a.bridge; a patch pair joins two different bridges",
    ]);
  });
});

describe("PatchPair provider against a real lab host over SSH @host", function () {
  this.timeout(120_000);
  let lab: LabHost;
  let pair: Record<string, unknown>;
  const bridges: Record<string, Record<string, unknown>> = {};
  const OWNER = "test/pair/int-ex";
  const spec = { a: { bridge: "br-a", port: "a-to-b" }, b: { bridge: "br-b", port: "b-to-a" } };
  const bridgeSpec = (name: string) => ({
    name,
    datapathType: "netdev",
    ports: [{ name: `${name}-p`, type: "internal" }],
  });
  const props = (s: Record<string, unknown>, owner = OWNER) => ({ ...s, connection: lab.connection, owner });
  const vsctl = (...args: string[]) => lab.sh(["ovs-vsctl", ...args]);
  /** A column value without the quotes ovs-vsctl puts around some strings. */
  const get = async (...args: string[]) => (await vsctl("get", ...args)).trim().replace(/^"(.*)"$/, "$1");
  async function diff(news: Record<string, unknown> = spec) {
    const checked = await call("patchPair", "check", pair, props(news));
    return call("patchPair", "diff", "id", pair, checked.inputs);
  }
  async function update(news: Record<string, unknown> = spec) {
    const checked = await call("patchPair", "check", pair, props(news));
    pair = (await call("patchPair", "update", "id", pair, checked.inputs)).outs;
  }
  let showWithoutPair: string;

  before(async () => {
    lab = await startLabHost();
    for (const name of ["br-a", "br-b"]) {
      const checked = await call("bridge", "check", {}, props(bridgeSpec(name), `test/pair/${name}`));
      bridges[name] = (await call("bridge", "create", checked.inputs)).outs;
    }
    showWithoutPair = await vsctl("show");
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("creates both ends, peering each other, in one ovs-vsctl transaction", async () => {
    await lab.resetCommandLog();
    const checked = await call("patchPair", "check", {}, props(spec));
    const created = await call("patchPair", "create", checked.inputs);
    pair = created.outs;
    assert.equal(created.id, "br-a:a-to-b<->br-b:b-to-a");
    assert.equal(writesIn(await lab.commandLog()).length, 1);
    assert.equal(await get("Interface", "a-to-b", "options:peer"), "b-to-a");
    assert.equal(await get("Interface", "b-to-a", "type"), "patch");
    assert.notEqual(await get("Interface", "b-to-a", "ofport"), "-1");
    assert.equal((await vsctl("port-to-br", "b-to-a")).trim(), "br-b");
  });

  it("re-applying finds nothing to do and runs no write command", async () => {
    await lab.resetCommandLog();
    assert.equal((await diff()).changes, false);
    assert.deepEqual(writesIn(await lab.commandLog()), []);
  });

  const drifts: Array<[string, string[]]> = [
    ["a peer option changed", ["set", "Interface", "b-to-a", "options:peer=elsewhere"]],
    ["one end deleted", ["del-port", "br-a", "a-to-b"]],
    ["a type changed", ["set", "Interface", "a-to-b", "type=internal"]],
    ["a tag set", ["set", "Port", "b-to-a", "tag=9"]],
  ];
  for (const [what, command] of drifts) {
    it(`sees ${what} by hand in diff, and update repairs it`, async () => {
      await vsctl(...command);
      assert.equal((await diff()).changes, true);
      await update();
      assert.equal((await diff()).changes, false);
      assert.equal(await get("Interface", "a-to-b", "type"), "patch");
      assert.equal(await get("Interface", "b-to-a", "options:peer"), "a-to-b");
      assert.equal(await get("Port", "b-to-a", "tag"), "[]");
    });
  }

  it("shows a tag set by hand in refresh", async () => {
    await vsctl("set", "Port", "a-to-b", "tag=7");
    const refreshed = await call("patchPair", "read", "id", pair);
    assert.deepEqual(refreshed.props.a, { bridge: "br-a", port: "a-to-b", tag: 7, peer: "b-to-a" });
    await update();
  });

  it("sets a declared tag and trunks on the ends", async () => {
    const tagged = { a: { ...spec.a, tag: 5 }, b: { ...spec.b, trunks: [1, 2] } };
    await update(tagged);
    assert.equal(await get("Port", "a-to-b", "tag"), "5");
    assert.equal(await get("Port", "b-to-a", "trunks"), "[1, 2]");
    await update();
  });

  it("coexists with the Bridge resources: their update and diff leave the pair's ports alone", async () => {
    const checked = await call(
      "bridge",
      "check",
      bridges["br-a"],
      props({ ...bridgeSpec("br-a"), failMode: "secure" }, "test/pair/br-a"),
    );
    bridges["br-a"] = (await call("bridge", "update", "id", bridges["br-a"], checked.inputs)).outs;
    assert.match(await vsctl("list-ports", "br-a"), /a-to-b/);
    const again = await call(
      "bridge",
      "check",
      bridges["br-a"],
      props({ ...bridgeSpec("br-a"), failMode: "secure" }, "test/pair/br-a"),
    );
    assert.equal((await call("bridge", "diff", "id", bridges["br-a"], again.inputs)).changes, false);
    assert.equal((await diff()).changes, false);
  });

  it("delete removes both ends and nothing else", async () => {
    await vsctl("add-port", "br-b", "hand1", "--", "set", "Interface", "hand1", "type=internal");
    await call("patchPair", "delete", "id", pair);
    assert.deepEqual((await vsctl("list-ports", "br-a")).split("\n").filter(Boolean), ["br-a-p"]);
    assert.deepEqual((await vsctl("list-ports", "br-b")).split("\n").filter(Boolean).sort(), ["br-b-p", "hand1"]);
    assert.equal((await call("patchPair", "read", "id", pair)).id, "", "read reports it gone");
    await vsctl("del-port", "br-b", "hand1");
    await vsctl("set", "Bridge", "br-a", "fail_mode=[]");
    assert.equal(await vsctl("show"), showWithoutPair);
  });
});
