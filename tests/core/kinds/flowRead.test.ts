import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readFlows, readFlowsAfter } from "../../../core/kinds/flowRead";
import { bundle, moveCookies } from "../../../core/compile/ofctl";
import { isReading, Reading } from "../../../core/kinds/reading";
import { LiveFlows } from "../../../core/live/flows";
import { LiveBridges } from "../../../core/live/bridge";
import { OpenFlowVersionError } from "../../../core/plan/flows";
import { formatCommand } from "../../../core/shell";

const dump = readFileSync(join(__dirname, "../../fixtures/ovs/dump-of13-names-nostats.txt"), "utf8");
const ovs = (protocols: string[]): LiveBridges => ({
  bridges: [
    { name: "br-ex", failMode: "standalone", datapathType: "", protocols, externalIds: {}, otherConfig: {}, ports: [] },
  ],
  portBridge: new Map(),
});
const commands = (r: Reading<LiveFlows>) => r.queries.map((q) => formatCommand(q.op));

describe("readFlows", () => {
  it("reads the bridge, then our cookie's flows and each table we write once (others' flows kept apart)", () => {
    const first = readFlows("br-ex", "0x1234", [0, 3, 0]);
    assert.deepEqual(
      commands(first).map((c) => c.split(" ")[0]),
      ["ovs-vsctl"],
    );
    const second = first.next([ovs(["OpenFlow13", "OpenFlow14"])]);
    assert.ok(isReading(second));
    const lines = commands(second);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0], /dump-flows br-ex cookie=0x1234\/-1$/);
    assert.match(lines[1], /dump-flows br-ex table=0$/);
    assert.match(lines[2], /dump-flows br-ex table=3$/);
    const parsed = second.queries.map((q) => q.parse(dump) as Array<{ cookie: string }>);
    const live = second.next(parsed) as LiveFlows;
    assert.equal(live.bridge?.name, "br-ex");
    const ours = parsed[0].length;
    const othersPerTable = parsed[1].filter((f) => BigInt(f.cookie) !== 0x1234n).length;
    assert.equal(
      live.flows.length,
      ours + 2 * othersPerTable,
      "our dump whole, then the tables' flows of other cookies",
    );
  });

  it("is done after one command when the bridge does not exist", () => {
    assert.deepEqual(readFlows("br-ex", "0x1", [0]).next([{ bridges: [], portBridge: new Map() }]), { flows: [] });
  });

  it("refuses a bridge without OpenFlow14 before any dump", () => {
    assert.throws(() => readFlows("br-ex", "0x1", [0]).next([ovs(["OpenFlow10"])]), OpenFlowVersionError);
  });

  describe("with the desired flows: OVS's own reading of them (parse-flows, no write)", () => {
    const desired = [
      {
        table: 0,
        priority: 4,
        match: "in_port=phy-br-ex,dl_vlan=1",
        actions: "strip_vlan,NORMAL",
        idleTimeout: 0,
        hardTimeout: 0,
      },
      { table: 0, priority: 1, match: "", actions: "output:br-ex", idleTimeout: 0, hardTimeout: 0 },
    ];
    const withPorts: LiveBridges = {
      ...ovs([]),
      bridges: [{ ...ovs([]).bridges[0], ports: [{ name: "phy-br-ex", ofport: 7 } as never] }],
    };
    const second = () => readFlows("br-ex", "0x1", [0], desired).next([withPorts]) as Reading<LiveFlows>;
    const ok = [
      "usable protocols: OXM,NXM+table_id",
      "OFPT_FLOW_MOD (OF1.4) (xid=0x1): ADD priority=4,in_port=7,dl_vlan=1 actions=pop_vlan,NORMAL",
      "OFPT_FLOW_MOD (OF1.4) (xid=0x2): ADD priority=1 actions=LOCAL",
      "ovslab-parse-flows-exit=0",
    ].join("\n");

    it("hands OVS the flows with port names as the bridge's numbers (its own port as LOCAL) and keeps its reading", () => {
      const r = second();
      const parse = r.queries.at(-1)!;
      assert.match(
        formatCommand(parse.op),
        /^sh -c 'ovs-ofctl -O OpenFlow14 parse-flows - 2>&1; echo "ovslab-parse-flows-exit=\$\?"'/,
      );
      assert.equal(
        parse.op.stdin,
        "table=0,priority=4,in_port=7,dl_vlan=1,actions=strip_vlan,NORMAL\ntable=0,priority=1,actions=output:LOCAL\n",
      );
      const live = r.next(r.queries.map((q, i) => q.parse(i === r.queries.length - 1 ? ok : ""))) as LiveFlows;
      assert.deepEqual(
        live.ovs && "flows" in live.ovs && live.ovs.flows.map((f) => `${f.priority} ${f.match} ${f.actions}`),
        ["4 in_port=7,dl_vlan=1 pop_vlan,NORMAL", "1  LOCAL"],
      );
    });

    it("pins a refusal OVS names by line to that flow, with OVS's reason", () => {
      const r = second();
      const refused = "ovs-ofctl: -:2: actions: unknown port\novslab-parse-flows-exit=1";
      const live = r.next(r.queries.map((q, i) => q.parse(i === r.queries.length - 1 ? refused : ""))) as LiveFlows;
      assert.deepEqual(live.ovs, { refused: { index: 1, reason: "actions: unknown port" } });
    });

    it("finds the flow that needs OpenFlow 1.0 by halving, and says how to write it in OpenFlow 1.4", () => {
      const r = second();
      const noProtocol = "usable protocols: OpenFlow10,NXM\novs-ofctl: no usable protocol\novslab-parse-flows-exit=1";
      let step = r.next(r.queries.map((q, i) => q.parse(i === r.queries.length - 1 ? noProtocol : ""))) as
        LiveFlows | Reading<LiveFlows>;
      const rounds: string[] = [];
      while (isReading(step)) {
        rounds.push(step.queries[0].op.stdin!);
        step = step.next([step.queries[0].parse(noProtocol)]); // every prefix fails: the first flow is the one
      }
      assert.deepEqual(rounds, ["table=0,priority=4,in_port=7,dl_vlan=1,actions=strip_vlan,NORMAL\n"]);
      assert.ok(step.ovs && "refused" in step.ovs && step.ovs.refused.index === 0);
      assert.match(
        (step.ovs as { refused: { reason: string } }).refused.reason,
        /only in OpenFlow 1\.0 .* ovslab writes flows in OpenFlow 1\.4 bundles/,
      );
    });

    describe("a flow naming a group or a tun_metadata field: the bridge's groups / TLV map, read in the same round", () => {
      const flow = (actions: string, match = "") => ({ ...desired[1], match, actions });
      const round = (flows: ReturnType<typeof flow>[]) =>
        readFlows("br-ex", "0x1", [0], flows).next([withPorts]) as Reading<LiveFlows>;
      const parsedOk = (n: number) =>
        [
          ...Array.from({ length: n }, (_, i) => `OFPT_FLOW_MOD (OF1.4) (xid=0x${i + 1}): ADD actions=drop`),
          "ovslab-parse-flows-exit=0",
        ].join("\n");
      const groups =
        "OFPST_GROUP_DESC reply (OF1.4) (xid=0x2):\n group_id=7,type=all,bucket=bucket_id:0,actions=drop\n";
      const tlv = [
        "NXT_TLV_TABLE_REPLY (xid=0x2):",
        " mapping table:",
        " class\ttype\tlength\tmatch field",
        " 0xffff\t0x0\t4\ttun_metadata0",
      ].join("\n");
      const answer = (r: Reading<LiveFlows>, n: number) =>
        r.next(
          r.queries.map((q) => {
            const line = formatCommand(q.op);
            return q.parse(
              /parse-flows/.test(line)
                ? parsedOk(n)
                : / dump-groups /.test(line)
                  ? groups
                  : / dump-tlv-map /.test(line)
                    ? tlv
                    : "",
            );
          }),
        ) as LiveFlows;

      it("reads neither when no flow names one", () => {
        assert.ok(!commands(second()).some((c) => /dump-groups|dump-tlv-map/.test(c)));
      });

      it("refuses a group the bridge lacks, naming the flow's index and the command that adds it", () => {
        const r = round([flow("group:7"), flow("clone(group:0x5)")]);
        const lines = commands(r);
        assert.ok(
          lines.some((c) => /^ovs-ofctl -O OpenFlow14 dump-groups br-ex$/.test(c)),
          lines.join("\n"),
        );
        assert.ok(!lines.some((c) => /dump-tlv-map/.test(c)));
        const refused = answer(r, 2).ovs as { refused: { index: number; reason: string } };
        assert.equal(refused.refused.index, 1);
        assert.match(refused.refused.reason, /^group 5 does not exist on br-ex .*add-group br-ex group_id=5/);
      });

      it("refuses a tun_metadata field without a TLV mapping, and takes one that has it", () => {
        const r = round([
          flow("drop", "tun_metadata0=0x1"),
          flow("set_field:0x2->tun_metadata3"),
          flow("move:NXM_NX_TUN_METADATA4[0..15]->NXM_NX_REG15[0..15]"),
        ]);
        assert.ok(commands(r).some((c) => /dump-tlv-map br-ex$/.test(c)));
        const refused = answer(r, 3).ovs as { refused: { index: number; reason: string } };
        assert.deepEqual(refused.refused.index, 1);
        assert.match(refused.refused.reason, /^tun_metadata3 has no TLV mapping on br-ex .*add-tlv-map br-ex/);
        const nxm = round([flow("move:NXM_NX_TUN_METADATA4[0..15]->NXM_NX_REG15[0..15]")]);
        const byNxmName = answer(nxm, 1).ovs as { refused: { index: number; reason: string } };
        assert.match(byNxmName.refused.reason, /^tun_metadata4 has no TLV mapping/);
        const taken = answer(round([flow("group:7", "tun_metadata0=0x1")]), 1).ovs;
        assert.ok(taken && "flows" in taken, JSON.stringify(taken));
      });
    });
  });
});

describe("readFlowsAfter (the read back after an apply)", () => {
  const bridge = { name: "br-ex", protocols: ["OpenFlow14"], ports: { bridge: "br-ex", byNumber: new Map([[1, "phy-br-ex"]]) } };
  const flow = (cookie: string, match: string) => ({
    cookie, table: 0, priority: 4, idleTimeout: 0, hardTimeout: 0, importance: 0, flags: [], match, actions: "NORMAL",
  });
  const theirs = flow("0x99", "in_port=1,dl_vlan=2");
  const before: LiveFlows = {
    bridge,
    flows: [flow("0x1234", "in_port=1,dl_vlan=1"), theirs],
    ovs: { flows: [flow("0x0", "in_port=1,dl_vlan=7")] },
  };
  const again = () => readFlows("br-ex", "0x1234", [0]);
  const ours = bundle("br-ex", ["add cookie=0x1234,priority=4,in_port=1,dl_vlan=7,actions=NORMAL"], "test");

  it("after bundles of our cookie, dumps our cookie only and keeps the bridge, others' flows and OVS's reading", () => {
    const r = readFlowsAfter("br-ex", "0x1234", [ours], before, again);
    assert.deepEqual(commands(r).map((c) => c.replace(/.* dump-flows /, "")), ["br-ex cookie=0x1234/-1"]);
    const now = flow("0x1234", "in_port=1,dl_vlan=7");
    const after = r.next([[now]]) as LiveFlows;
    assert.deepEqual(after.flows, [now, theirs], "the old flow of ours is gone, the other cookie's flow kept");
    assert.equal(after.bridge, bridge);
    assert.equal(after.ovs, before.ovs);
  });

  it("reads in full after a move of someone's flows to our cookie, or when the plan found no bridge", () => {
    const move = moveCookies("br-ex", [theirs], "0x1234", "adopt");
    assert.ok(move, "a move op");
    const full = commands(again());
    assert.deepEqual(commands(readFlowsAfter("br-ex", "0x1234", [move!, ours], before, again)), full);
    assert.deepEqual(commands(readFlowsAfter("br-ex", "0x1234", [ours], { flows: [] }, again)), full);
  });
});
