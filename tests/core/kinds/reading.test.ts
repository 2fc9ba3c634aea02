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
    assert.deepEqual(r.queries.map((q) => [...q.op.argv.slice(0, 2), q.op.argv[4], q.scope]), [["sh", "-c", "qrouter-1", "netns:qrouter-1"]]);
    assert.deepEqual([r.shared?.query.op.argv.slice(0, 2), r.shared?.query.scope], [["sh", "-c"], "netns:*"]);
    const second = r.next([undefined]);
    assert.ok(isReading(second));
    assert.deepEqual(second.queries.map((q) => q.op.argv.slice(0, 2)), [["ovsdb-client", "transact"]]);
    assert.deepEqual(second.shared?.query.op.argv.slice(0, 2), ["ovs-vsctl", "--format=json"]);
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
