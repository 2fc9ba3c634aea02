import { strict as assert } from "node:assert";
import { isReading, query, reading } from "../../../core/kinds/reading";
import { formatCommand } from "../../../core/shell";
import { kinds } from "../../../core/kinds";

describe("reading", () => {
  it("is data: the queries' ops print as the commands they are, and parse and next are pure", () => {
    const r = reading([query({ argv: ["echo", "a b"], why: "say" }, (s) => s.length)], (n) => n * 2);
    assert.ok(isReading(r));
    assert.deepEqual(r.queries.map((q) => formatCommand(q.op)), ["echo 'a b'"]);
    assert.equal(r.next([r.queries[0].parse("abc")]), 6);
  });

  it("tells a reading from live state, whatever the state holds", () => {
    assert.equal(isReading<unknown>({ queries: [], next: () => 1 }), false);
    assert.equal(isReading(undefined), false);
    assert.equal(isReading({ flows: [] }), false);
  });

  it("reads a router in two rounds, the namespace script then its own OVS ports, each shared host-wide when it can be", () => {
    const spec = kinds.routerNamespace.schema.parse({ name: "qrouter-1" });
    const r = kinds.routerNamespace.read(spec, "p/s/RouterNamespace/r");
    assert.deepEqual(
      r.queries.map((q) => [...q.op.argv.slice(0, 2), q.op.argv[4], q.scope]),
      [["sh", "-c", "qrouter-1", "netns:qrouter-1"]],
    );
    assert.deepEqual([r.shared?.query.op.argv.slice(0, 2), r.shared?.query.scope], [["sh", "-c"], "netns:*"]);
    const second = r.next([undefined]);
    assert.ok(isReading(second));
    assert.deepEqual(
      second.queries.map((q) => q.op.argv.slice(0, 2)),
      [["ovsdb-client", "transact"]],
    );
    assert.deepEqual(second.shared?.query.op.argv.slice(0, 2), ["ovs-vsctl", "--format=json"]);
  });

  it("asks ovs-vswitchd whether it runs a bridge only on the system datapath, and marks one it does not run", () => {
    const live = (datapathType: string) => ({
      bridges: [{ name: "br0", datapathType, failMode: "standalone", ports: [] }],
      portBridge: new Map(),
    });
    const read = (datapathType: "system" | "netdev") =>
      kinds.bridge.read(kinds.bridge.schema.parse({ name: "br0", datapathType }), "o").next([live(datapathType)]);
    assert.equal(isReading(read("netdev")), false, "netdev: OVSDB alone");
    const system = read("system");
    assert.ok(isReading(system));
    assert.deepEqual(system.queries.map((q) => q.op.argv), [["ovs-appctl", "dpif/show"]]);
    const shown = (names: string[]) =>
      system.queries[0].parse(names.map((n) => `system@ovs-system:\n  ${n}:\n`).join(""));
    const running = system.next([shown(["br0"])]) as { bridges: Array<{ notSetUp?: true }> };
    assert.equal(running.bridges[0].notSetUp, undefined);
    const dropped = system.next([shown(["br9"])]) as { bridges: Array<{ notSetUp?: true }> };
    assert.equal(dropped.bridges[0].notSetUp, true);
  });

  it("reads a bridge's other flows before a delete only when the bridge exists", () => {
    const spec = kinds.bridge.schema.parse({ name: "br0" });
    const first = kinds.bridge.readForDelete!(spec, "o");
    const none = first.next([{ bridges: [], portBridge: new Map() }]);
    assert.equal(isReading(none), false);
    const some = first.next([{ bridges: [{ name: "br0", ports: [] }], portBridge: new Map() }]);
    assert.ok(isReading(some));
    assert.deepEqual(some.queries.map((q) => q.op.argv[0]), ["ovs-ofctl"]);
  });
});
