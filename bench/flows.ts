// What flows cost at scale, on a throwaway lab VM: check and plan of 20,000 flows, the
// canonicalisation per flow (OVS's `parse-flows` on the host, and ovslab's own grammar),
// beside the bundle itself; and an update that changes one flow, written the new way (only
// the flows that differ, counters kept) and the old way (delete the cookie, add all again),
// both measured in this run. Usage: node dist/bench/flows.js [flows, default 20000]
import { performance } from "node:perf_hooks";
import { startLabHost } from "../lab/host";
import { call } from "../providers/entry";
import { closeAll, transportFor } from "../transport/pool";
import { runChecked } from "../transport/types";
import { derivedCookie } from "../core/openflow/cookie";
import { flowRuleSpec, flowTableSpec, FlowTableSpec } from "../core/schema/flow";
import { planFlowTable } from "../core/plan/flowTable";
import { addLine, bundle, deleteLine, parseFlows } from "../core/compile/ofctl";
import { readFlows, ovsLines } from "../core/kinds/flowRead";
import { runReading } from "../providers/read";
import { portNumbers } from "../core/live/flows";

const N = Number(process.argv[2] ?? 20_000);
const OWNER = "bench/flows/acl";
const BRIDGE = "br-bench";

/** A mix people write: ACL drops, VLAN tagging, names and numbers, ct. */
function flows(n: number, changed = -1) {
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 4;
    const actions =
      i === changed
        ? "NORMAL"
        : kind === 1
          ? "mod_vlan_vid:5,output:p2"
          : kind === 3
            ? "ct(commit,zone=1),NORMAL"
            : "drop";
    const match = [
      `tcp,nw_src=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},tp_dst=80`,
      `in_port=p1,udp,tp_dst=${1000 + (i % 60000)},nw_dst=192.168.${(i >> 8) & 255}.${i & 255}`,
      `ip,nw_dst=172.16.${(i >> 8) & 255}.${i & 255}/32,dl_vlan=${1 + (i % 4094)}`,
      `ip,ct_state=+trk+new,nw_src=10.200.${(i >> 8) & 255}.${i & 255}`,
    ][kind];
    return { table: 1 + (kind % 2), priority: 100 + (i % 1000), match, actions };
  });
}

async function time<T>(run: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
const us = (x: number) => `${((x * 1000) / N).toFixed(1).padStart(7)} us/flow`;

async function main(): Promise<void> {
  const lab = await startLabHost();
  try {
    const host = transportFor(lab.connection);
    const props = (spec: object) => ({ ...spec, connection: lab.connection, owner: OWNER });
    const bridgeCheck = await call(
      "bridge",
      "check",
      {},
      {
        name: BRIDGE,
        datapathType: "netdev",
        ports: [
          { name: "p1", type: "internal" },
          { name: "p2", type: "internal" },
        ],
        connection: lab.connection,
        owner: "bench/flows/br",
      },
    );
    await call("bridge", "create", bridgeCheck.inputs);
    const cookie = derivedCookie("FlowTable", OWNER);
    const rows: Array<[string, string, string]> = [];

    const input = { bridge: BRIDGE, flows: flows(N) };
    const [checked, checkMs] = await time(() => call("flowTable", "check", {}, props(input)));
    rows.push([`check (schema + ovslab's grammar), ${N} flows`, ms(checkMs), us(checkMs)]);
    const spec = flowTableSpec.parse(input) as FlowTableSpec;

    const [created, createMs] = await time(() => call("flowTable", "create", checked.inputs));
    rows.push(["create (read, parse-flows, one bundle, read back)", ms(createMs), ""]);

    // The pieces of a plan, each on its own.
    const [live, readMs] = await time(() => runReading(host, readFlows(BRIDGE, cookie, [1, 2], spec.flows)));
    rows.push(["read: OVSDB + dump-flows + parse-flows of the desired flows", ms(readMs), ""]);
    const numbers = portNumbers(live.bridge!);
    const lines = ovsLines(spec.flows, numbers);
    const [, parseMs] = await time(() => runChecked(host, parseFlows(lines)));
    rows.push(["  of which OVS's parse-flows (canonicalisation on the host)", ms(parseMs), us(parseMs)]);
    const [ops, planMs] = await time(() => planFlowTable(spec, live, OWNER));
    rows.push([`plan, OVS's reading (no change: ${ops.length} ops)`, ms(planMs), us(planMs)]);
    const [oldOps, grammarMs] = await time(() => planFlowTable(spec, { ...live, ovs: undefined }, OWNER));
    rows.push([
      `plan, ovslab's grammar on both sides (main's way; ${oldOps.length} ops)`,
      ms(grammarMs),
      us(grammarMs),
    ]);
    const [diffed, diffMs] = await time(() => call("flowTable", "diff", "id", created.outs, checked.inputs));
    rows.push([`diff through the provider (changes: ${diffed.changes})`, ms(diffMs), ""]);

    // One flow changed: the new bundle (one modify_strict) against main's (delete the cookie, add all).
    const changed = { bridge: BRIDGE, flows: flows(N, 7) };
    const checkedChanged = await call("flowTable", "check", created.outs, props(changed));
    const [, updateMs] = await time(() => call("flowTable", "update", "id", created.outs, checkedChanged.inputs));
    rows.push(["update of 1 changed flow through the provider (modify_strict)", ms(updateMs), ""]);
    const changedSpec = flowTableSpec.parse(changed);
    const [newPlan] = planFlowTable(spec, await runReading(host, readFlows(BRIDGE, cookie, [1, 2], spec.flows)), OWNER);
    const [, newBundleMs] = await time(() => runChecked(host, newPlan));
    rows.push([
      `  its bundle alone, back again (${newPlan.stdin!.trim().split("\n").length} line)`,
      ms(newBundleMs),
      "",
    ]);
    const oldBundle = bundle(
      BRIDGE,
      [deleteLine(cookie), ...changedSpec.flows.map((f) => addLine(f, cookie))],
      "main's way",
    );
    const [, oldBundleMs] = await time(() => runChecked(host, oldBundle));
    rows.push([`  main's bundle for the same change (${N + 1} lines)`, ms(oldBundleMs), us(oldBundleMs)]);

    // Hostile text: how long check takes to refuse it (issue 13 asks under 100 ms each).
    const hostile: Array<[string, Record<string, string>]> = [
      ["a 1 MiB match word", { match: "a".repeat(1 << 20) }],
      ["actions nested 10,000 deep", { actions: "a(".repeat(10_000) + "x" + ")".repeat(10_000) }],
      ["a 60 KiB unknown action", { actions: "z".repeat(60_000) + ":1" }],
      ["a match field named __proto__", { match: "__proto__=1" }],
    ];
    for (const [what, fields] of hostile) {
      const [, hostileMs] = await time(() => flowRuleSpec.safeParse({ bridge: BRIDGE, actions: "NORMAL", ...fields }));
      rows.push([`check refuses ${what}`, `${hostileMs.toFixed(2).padStart(7)} ms`, ""]);
    }

    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`flows at scale: ${N} flows on one bridge of a lab VM (userspace datapath)`);
    for (const [what, total, per] of rows) console.log(`  ${what.padEnd(width)} ${total} ${per}`);
  } finally {
    await closeAll();
    await lab.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
