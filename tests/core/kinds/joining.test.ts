import { strict as assert } from "node:assert";
import { chainable, chains, CHAIN_BYTES, joinFamily, joinOps } from "../../../core/kinds/joining";
import { readMarkedPorts, readBridges } from "../../../core/compile/vsctl";
import { NAMESPACE, readRouter } from "../../../core/compile/router";

describe("kinds/joining: which commands of several resources run as one", () => {
  it("joins OVSDB transactions, OVSDB select reads and namespace reads, each with its own family", () => {
    const write = { argv: ["ovs-vsctl", "add-port", "br-int", "p"], why: "" };
    assert.equal(joinFamily(write), "ovsdb-write");
    assert.equal(joinFamily(readMarkedPorts("k", "o", ["p"])), "ovsdb-read");
    assert.equal(joinFamily(readRouter("r", [])), "namespace-read");
  });

  it("leaves alone what it cannot join: other tools, ovs-vsctl reads with options, a transact that writes", () => {
    const writes = JSON.stringify(["Open_vSwitch", { op: "select", table: "Port", where: [] }, { op: "delete", table: "Port", where: [] }]);
    for (const op of [
      { argv: ["ip", "netns", "add", "r"], why: "" },
      readBridges([]),
      { argv: ["ovsdb-client", "transact", writes], why: "" },
      { argv: ["sh", "-c", "echo hi", "sh", "r"], why: "" },
    ])
      assert.equal(joinFamily(op), undefined, op.argv.join(" "));
  });

  it("cuts a joined select read back into each read's results, a select asked twice answered to both", () => {
    const a = readMarkedPorts("k", "a", []);
    const b = readMarkedPorts("k", "b", []);
    const joined = joinOps("ovsdb-read", [a, b]);
    const sent = JSON.parse(joined.op.argv[2]);
    assert.equal(sent.length - 1, 3, "one Bridge select for both, a's and b's marked ports");
    const [outA, outB] = joined.split(JSON.stringify([{ rows: ["bridges"] }, { rows: ["a"] }, { rows: ["b"] }]));
    assert.equal(outA, JSON.stringify([{ rows: ["bridges"] }, { rows: ["a"] }]) + "\n");
    assert.equal(outB, JSON.stringify([{ rows: ["bridges"] }, { rows: ["b"] }]) + "\n");
  });

  it("refuses to cut a joined namespace read that answers for fewer namespaces than it read", () => {
    const joined = joinOps("namespace-read", [readRouter("r1", []), readRouter("r2", [])]);
    assert.throws(() => joined.split(`@@ovslab host\nlo\n${NAMESPACE}r1\n@@ovslab absent\n`), /1 namespace\(s\) in the output, 2 read/);
  });
});

describe("kinds/joining: which of one resource's writes run as one chain", () => {
  const ip = (...words: string[]) => ({ argv: ["ip", ...words], why: "" });
  const inside = (tool: string) => ({ argv: ["nsenter", "--net=/var/run/netns/r", tool], why: "" });
  const vsctl = { argv: ["ovs-vsctl", "add-port", "br-int", "p"], why: "" };

  it("groups consecutive namespace commands, in order; an OVSDB transaction or a bundle stands alone between them", () => {
    const bundle = { argv: ["ovs-ofctl", "--bundle", "add-flows", "br-int", "-"], stdin: "priority=1,actions=drop\n", why: "" };
    const ops = [vsctl, ip("netns", "add", "r"), ip("-n", "r", "link", "set", "lo", "up"), bundle, ip("-batch", "-"), inside("sysctl")];
    assert.deepEqual(chains(ops), [[vsctl], [ops[1], ops[2]], [bundle], [ops[4], ops[5]]]);
  });

  it("keeps a chain's text under what one `sh -c` argument may hold: a big namespace command runs alone", () => {
    const rules = "-A ovslab-PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6\n".repeat(2_000);
    const restore = { argv: [...inside("iptables-restore").argv, "--noflush", "-w"], stdin: rules, why: "" };
    assert.ok(!chainable(restore));
    assert.deepEqual(chains([ip("-batch", "-"), restore, inside("sysctl")]).map((g) => g.length), [1, 1, 1]);
    const medium = { ...restore, stdin: rules.slice(0, (CHAIN_BYTES / 2) * 0.9) };
    assert.deepEqual(chains([medium, medium, medium]).map((g) => g.length), [1, 1, 1], "two of them would pass the bound");
  });
});
