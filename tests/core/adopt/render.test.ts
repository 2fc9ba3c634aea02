import { strict as assert } from "node:assert";
import * as ts from "typescript";
import { commentText, flowDependencies, literal, renderProgram, variableName } from "../../../core/adopt/render";
import { AdoptedProgram } from "../../../core/adopt/model";
import { typecheck } from "../../support/typecheck";

describe("literal", () => {
  it("quotes keys that are not identifiers and writes __proto__ as a computed key (a plain one would set the prototype)", () => {
    const value = JSON.parse('{"plain":1,"with-dash":"a","__proto__":"p","x y":[1,2]}');
    assert.equal(literal(value), '{ plain: 1, "with-dash": "a", ["__proto__"]: "p", "x y": [1, 2] }');
  });

  it("puts one entry per line when the line would be too long", () => {
    const text = literal({ a: "x".repeat(60), b: "y".repeat(60) });
    assert.equal(text, `{\n  a: "${"x".repeat(60)}",\n  b: "${"y".repeat(60)}",\n}`);
  });
});

describe("variableName", () => {
  it("camel-cases a host name and never yields a keyword, a leading digit or a name already taken", () => {
    const taken = new Set(["connection"]);
    assert.deepEqual(
      ["br-int", "br_int", "class", "1-up", "connection", "---"].map((n) => variableName(n, taken)),
      ["brInt", "brInt2", "classBridge", "bridge1Up", "connection2", "bridge"],
    );
  });
});

describe("commentText", () => {
  it("keeps host text on one comment line: line breaks and control characters are escaped", () => {
    assert.equal(commentText("a\nb\r\u2028c\u0007 */ d"), "a\\nb\\r\\u2028c\\u0007 */ d");
  });
});

// Names and values no sane host has, but a generator must survive: every one is quoted, escaped or renamed.
const AWKWARD: AdoptedProgram = {
  source: "root@host\n// injected:22",
  bridges: [
    { name: "br-int", args: { name: "br-int", failMode: "secure", datapathType: "netdev" }, adopt: true, notes: [] },
    {
      name: "br_int",
      args: { name: "br_int", datapathType: "netdev", externalIds: JSON.parse('{"__proto__":"x","a\\"b":"c\\\\d"}') },
      adopt: true,
      notes: ["note\nwith a line break"],
    },
    {
      name: "class",
      args: { name: "class", otherConfig: { "*/": "`${injected}`" }, ports: [{ name: "1\u2028x", tag: 3 }] },
      adopt: false,
      notes: [],
    },
  ],
  patchPairs: [
    {
      name: 'pair "q"',
      args: { a: { bridge: "br-int", port: "p-a" }, b: { bridge: "class", port: "p-b" } },
      adopt: true,
      notes: [],
    },
  ],
  tunnelPorts: [],
  flowTables: [
    {
      name: "br-int-flows",
      args: {
        bridge: "br_int",
        flows: [
          { priority: 1, match: 'in_port="a b"', actions: 'note:"\\x"' },
          { table: 3, priority: 0, actions: "drop" },
        ],
      },
      adopt: true,
      notes: [],
    },
  ],
  routers: [
    {
      name: "ns-1",
      args: { name: "ns-1", sysctls: { "net.ipv4.ip_forward": "0" }, interfaces: [{ name: "i1", bridge: "br-int" }] },
      adopt: true,
      notes: [],
    },
    {
      name: "ns-2",
      args: { name: "ns-2", sysctls: { "net.ipv4.ip_forward": "0" }, interfaces: [] },
      adopt: true,
      notes: [],
    },
  ],
  leftAlone: ["chain */ end\n}); process.exit(1); //"],
};

/** Runs a program with `ovslab` replaced by classes that record what each resource was given. */
function run(program: string): Array<{ cls: string; name: string; args: Record<string, unknown> }> {
  const made: Array<{ cls: string; name: string; args: Record<string, unknown> }> = [];
  const recorder = (cls: string) =>
    class {
      name: unknown;
      constructor(name: string, args: Record<string, unknown>) {
        made.push({ cls, name, args });
        this.name = args.name ?? name;
      }
    };
  const ovslab = {
    hostConnection: () => "CONNECTION",
    ...Object.fromEntries(
      ["Bridge", "PatchPair", "TunnelPort", "FlowTable", "RouterNamespace"].map((c) => [c, recorder(c)]),
    ),
  };
  const js = ts.transpileModule(program, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  new Function("require", "exports", js)(() => ovslab, {});
  return made;
}

describe("renderProgram", () => {
  it("compiles against the SDK whatever the names and values are", () => {
    const program = renderProgram(AWKWARD, { module: "../../../sdk" });
    assert.deepEqual(
      typecheck(["tests/core/adopt/awkward.generated.ts"], { "tests/core/adopt/awkward.generated.ts": program }),
      [],
    );
  }).timeout(60_000);

  it("gives each resource exactly the values it declares, bridges by their resource's name output", () => {
    const made = run(renderProgram(AWKWARD));
    const declared = [
      ...AWKWARD.bridges.map((d) => ["Bridge", d] as const),
      ...AWKWARD.patchPairs.map((d) => ["PatchPair", d] as const),
      ...AWKWARD.routers.map((d) => ["RouterNamespace", d] as const),
      ...AWKWARD.flowTables.map((d) => ["FlowTable", d] as const),
    ];
    assert.deepEqual(
      made.map((m) => [m.cls, m.name]),
      declared.map(([cls, d]) => [cls, d.name]),
    );
    made.forEach((m, i) => {
      const { connection, adopt, ...args } = m.args;
      const d = declared[i][1];
      assert.equal(connection, "CONNECTION");
      assert.equal(adopt, d.adopt ? true : undefined, `${m.name}: adopt`);
      // A Bridge's name is left out when it is the resource's name (the SDK's default).
      assert.deepEqual({ ...(m.cls === "Bridge" ? { name: m.name } : {}), ...args }, d.args, m.name);
    });
  });

  it("writes every comment as comment lines and shares repeated values as constants", () => {
    const program = renderProgram(AWKWARD);
    assert.ok(!program.includes("\nwith a line break") && program.includes("// note\\nwith a line break"));
    assert.match(program, /^\/\/ - chain \*\/ end\\n\}\); process\.exit\(1\); \/\/$/m);
    assert.match(program, /^const datapathType = "netdev";$/m);
    assert.match(program, /^const sysctls = \{ "net\.ipv4\.ip_forward": "0" \};$/m);
    assert.equal(program.match(/\bsysctls,/g)?.length, 2);
    assert.match(
      program,
      /^const brInt = new Bridge\("br-int", \{ connection, adopt, failMode: "secure", datapathType \}\);$/m,
    );
    assert.match(program, /^const classBridge = new Bridge\("class", \{/m);
    assert.ok(program.includes('"1\\u2028x"') && !/[\u2028\u2029]/.test(program), "no bare line separator anywhere");
  });

  it("leaves `adopt` out everywhere when told to, and when nothing is adopted", () => {
    assert.ok(!/\badopt\b/.test(renderProgram(AWKWARD, { adoptFlag: false }).replace(/^\/\/.*$/gm, "")));
    const owned = { ...AWKWARD, bridges: AWKWARD.bridges.slice(2), patchPairs: [], flowTables: [], routers: [] };
    assert.ok(!/\badopt\b/.test(renderProgram(owned).replace(/^\/\/.*$/gm, "")));
  });
});

describe("flowDependencies", () => {
  it("makes a flow table wait for the resources whose ports on its bridge its flows name, and only those", () => {
    const pair = AWKWARD.patchPairs[0];
    const [vm, other] = AWKWARD.routers;
    const table = (bridge: string, match: string) => ({
      name: `t-${match}`,
      args: { bridge, flows: [{ priority: 1, match, actions: "output:p-a" }] },
      adopt: true,
      notes: [],
    });
    const tables = [
      table("br-int", "in_port=i1"),
      table("br-int", "ip"),
      table("class", "in_port=p-b"),
      table("x", ""),
    ];
    const deps = flowDependencies({ ...AWKWARD, flowTables: tables });
    assert.deepEqual(
      [...deps].map(([t, d]) => [t.name, d.map((x) => x.name)]),
      [
        ["t-in_port=i1", [pair.name, vm.name]],
        ["t-ip", [pair.name]],
        ["t-in_port=p-b", [pair.name]],
      ],
    );
    assert.ok(!deps.get(tables[0])!.includes(other), "ns-2 has no port named in them");
    const program = renderProgram({ ...AWKWARD, flowTables: tables });
    assert.match(program, /^const pairQ = new PatchPair\("pair \\"q\\"", \{$/m);
    assert.match(program, /^\}, \{ dependsOn: \[pairQ, ns1\] \}\);$/m);
  });
});
