// Generated specs for every kind (seeded, so a failure repeats): valid seeds mutated with
// the inputs users and tools get wrong (wrong types, out-of-range numbers, control bytes,
// lone surrogates, 200,000-character strings, JavaScript's own key names, unknown fields).
// Each must be refused naming its field, or accepted and planned from an empty host.
import { strict as assert } from "node:assert";
import { AnyKind, Kind, KINDS, kinds } from "../../../core/kinds";
import { bridgeSpec } from "../../../core/schema/bridge";
import { formatScript, Op } from "../../../core/shell";
import { validate } from "../../../core/validation";
import { declaredOvs } from "../../../testing/emptyHost";

const PER_KIND = 10_000;
const OTHER_OWNER = "fuzz/dev/Bridge/declared";

/** mulberry32: a small seeded generator, so every run draws the same specs. */
function generator(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = "x".repeat(200_000);
const VALUES: unknown[] = [
  "", "a", "br-int", "qr-red", "x".repeat(16), HUGE, "\n", "a\u0000b", "x\ud800y", "é", "$(reboot)", "a b", "'", "\"",
  "--", "-x", "0x1", "0", "NORMAL", "drop", "output:1", "ip,nw_src=10.0.0.0/8", "dl_vlan=5", "10.0.0.1/24", "10.0.0.1",
  "203.0.113.1", "default", "fd00::1/64", "net.ipv4.ip_forward", "kernel.domainname", "__proto__", "constructor",
  "internal", "patch", "secure", "netdev", "OpenFlow13",
  -1, 0, 1, 5, 4095, 4096, 65535, 65536, 1.5, NaN, Infinity, 2 ** 53,
  null, undefined, true, false, [], {}, [1, 2], ["a"], { a: "b" },
  JSON.parse('{"__proto__": "x"}'), { constructor: "x" }, { "a\nb": "c" },
];

const SEEDS: Record<Kind, () => Record<string, unknown>> = {
  bridge: () => ({
    name: "br-int",
    failMode: "secure",
    datapathType: "netdev",
    externalIds: { site: "lab" },
    ports: [
      { name: "vm1", type: "internal", tag: 10 },
      { name: "trunk", trunks: [10, 20] },
      { name: "p", type: "patch", options: { peer: "q" } },
    ],
  }),
  patchPair: () => ({ a: { bridge: "br-int", port: "int-br-ex" }, b: { bridge: "br-ex", port: "phy-br-ex" } }),
  flowRule: () => ({
    bridge: "br-ex",
    priority: 4,
    match: "in_port=phy-br-ex,dl_vlan=1",
    actions: "strip_vlan,NORMAL",
  }),
  flowTable: () => ({
    bridge: "br-int",
    flows: [
      { priority: 100, match: "dl_src=01:00:00:00:00:00/01:00:00:00:00:00", actions: "drop" },
      { priority: 1, actions: "NORMAL" },
    ],
  }),
  tunnelPort: () => ({
    bridge: "br-tun",
    name: "vxlan-0afa000c",
    remoteIp: "10.250.0.12",
    localIp: "10.250.0.11",
    key: 100,
  }),
  routerNamespace: () => ({
    name: "qrouter-lab",
    interfaces: [
      { name: "qr-red", bridge: "br-int", tag: 10, addresses: ["10.0.10.1/24"] },
      { name: "qg-lab", bridge: "br-ex", addresses: ["203.0.113.10/24"] },
    ],
    routes: [{ destination: "default", via: "203.0.113.1" }],
    snat: [{ interface: "qg-lab", sources: ["10.0.10.0/24"] }],
    floatingIps: [{ floatingIp: "203.0.113.21", fixedIp: "10.0.10.5" }],
    sysctls: { "net.ipv4.ip_forward": "1" },
  }),
};

type Node = Record<string, unknown> | unknown[];

/** Every object or array inside `value` (itself included), with the keys it holds. */
function containers(value: unknown, out: Node[] = []): Node[] {
  if (value && typeof value === "object") {
    out.push(value as Node);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

/** One to three edits: a value replaced, a key added (known or not), a key deleted, an element repeated. */
function mutate(spec: Record<string, unknown>, random: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
    const node = pick(containers(spec));
    const keys = Object.keys(node);
    const what = random();
    if (Array.isArray(node)) {
      if (what < 0.6 && node.length) node[Math.floor(random() * node.length)] = structuredClone(pick(VALUES));
      else if (node.length) node.push(structuredClone(pick(node)));
      else node.push(structuredClone(pick(VALUES)));
    } else if (what < 0.6 && keys.length) {
      node[pick(keys)] = structuredClone(pick(VALUES));
    } else if (what < 0.75 && keys.length) {
      delete node[pick(keys)];
    } else {
      const key = pick([
        "failmode",
        "priorty",
        "__proto__",
        "constructor",
        "x",
        "a\nb",
        ...keys.map((k) => k.toLowerCase()),
      ]);
      Object.defineProperty(node, key, {
        value: structuredClone(pick(VALUES)),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return spec;
}

/** The host a planner finds: the bridges the spec names, someone else's (for a Bridge: none). */
function hostFor(kind: AnyKind, key: Kind, spec: unknown) {
  const names = key === "bridge" ? [] : [...new Set(kind.graph.bridges(spec))];
  return declaredOvs(names.map((name) => ({ spec: bridgeSpec.parse({ name }), owner: OTHER_OWNER })));
}

describe("every kind under 10,000 generated specs each (seeded)", function () {
  this.timeout(300_000);
  for (const key of KINDS) {
    it(`${key}: refuses each bad spec naming its field, and plans each accepted one from an empty host`, () => {
      const kind: AnyKind = kinds[key];
      const random = generator(0x0515 + key.length);
      const owner = `fuzz/dev/${kind.title}/x`;
      let accepted = 0;
      for (let i = 0; i < PER_KIND; i++) {
        const spec = mutate(SEEDS[key](), random);
        const where = () => `${key} spec #${i}: ${JSON.stringify(spec).slice(0, 300)}`;
        const result = validate(kind.schema, spec, { values: true });
        if (!result.ok) {
          assert.ok(result.problems.length > 0, where());
          for (const p of result.problems) {
            assert.ok(
              p.path !== "" && p.rule !== "",
              `a problem without its field: ${JSON.stringify(p)} in ${where()}`,
            );
            assert.ok(
              !/[\u0000-\u001f]/.test(p.path + p.rule) || /\\/.test(p.rule),
              `raw control bytes in ${JSON.stringify(p)}`,
            );
            assert.ok(p.rule.length < 600, `a problem of ${p.rule.length} characters in ${where()}`);
          }
          continue;
        }
        accepted++;
        let ops: Op[];
        try {
          ops = kind.plan(result.value, kind.emptyLive(result.value, hostFor(kind, key, result.value)), owner);
        } catch (error) {
          assert.fail(`an accepted spec did not plan: ${(error as Error).message}\n${where()}`);
        }
        assert.ok(ops.every((op) => op.argv.every((w) => typeof w === "string" && !w.includes("\u0000"))), where());
        formatScript(ops);
      }
      // Both sides were exercised: the mutations are neither all fatal nor all harmless.
      assert.ok(accepted > PER_KIND / 50 && accepted < PER_KIND - PER_KIND / 50, `${accepted} of ${PER_KIND} accepted`);
    });
  }
});
