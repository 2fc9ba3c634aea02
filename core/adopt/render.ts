// An adopted program as TypeScript a person could have written: the SDK classes of the
// examples, names from the host, shared values as constants, bridges referenced by their
// resource's `name` output (so the engine orders the resources), and what was left alone as
// comments. Every host-provided text goes through JSON quoting, so any name yields valid TS.
import { AdoptedProgram, Declared } from "./model";

/** A TypeScript expression written as is (a variable, `brInt.name`). */
class Raw {
  constructor(readonly text: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await any boolean number string " +
    "symbol undefined object never unknown"
  ).split(" "),
);
const WIDTH = 110;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** A string literal; JSON leaves U+2028 and U+2029 bare, which end a line in a comment and read badly anywhere. */
const quote = (text: string) => JSON.stringify(text).replace(/[\u2028\u2029]/g, escape);

/** A host text inside a `//` comment: line breaks and control characters escaped, so it stays one line. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c.charCodeAt(0) < 0x20 ? JSON.stringify(c).slice(1, -1) : escape(c),
  );
}

const key = (k: string) => (k === "__proto__" ? `["__proto__"]` : IDENTIFIER.test(k) ? k : quote(k));

/** A value as a TypeScript literal, on one line when it fits in `room` characters, else one entry per line. */
export function literal(value: unknown, indent = "", room = WIDTH - indent.length): string {
  if (value instanceof Raw) return value.text;
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((v) => literal(v, "", Infinity)).join(", ")}]`;
    if (flat.length <= room && !flat.includes("\n")) return flat;
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const entry = (k: string, v: unknown, at: string) =>
    v instanceof Raw && v.text === k ? k : `${key(k)}: ${literal(v, at, WIDTH - at.length - k.length - 2)}`;
  const flat = `{ ${entries.map(([k, v]) => entry(k, v, "")).join(", ")} }`;
  if (flat.length <= room && !flat.includes("\n")) return flat;
  return `{\n${entries.map(([k, v]) => `${inner}${entry(k, v, inner)},`).join("\n")}\n${indent}}`;
}

/** `br-int` -> `brInt`; unique among `taken`, never a keyword. */
export function variableName(name: string, taken: Set<string>): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = words
    .map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1)))
    .join("");
  if (base === "" || /^[0-9]/.test(base)) base = `bridge${base}`;
  if (RESERVED.has(base)) base = `${base}Bridge`;
  let unique = base;
  for (let n = 2; taken.has(unique); n++) unique = `${base}${n}`;
  taken.add(unique);
  return unique;
}

/** Replaces every `bridge` field naming a declared bridge with that resource's name output. */
function withRefs(value: unknown, refs: Map<string, Raw>): unknown {
  if (Array.isArray(value)) return value.map((v) => withRefs(v, refs));
  if (value === null || typeof value !== "object" || value instanceof Raw) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "bridge" && typeof v === "string" && refs.has(v) ? refs.get(v)! : withRefs(v, refs),
    ]),
  );
}

/** The ports a resource puts on bridges. */
function portsOf(d: Declared<unknown>): Array<{ bridge: string; port: string }> {
  const args = d.args as {
    a?: { bridge: string; port: string };
    b?: { bridge: string; port: string };
    bridge?: string;
    name: string;
    interfaces?: Array<{ bridge: string; name: string }>;
  };
  if (args.a && args.b) return [args.a, args.b];
  if (args.interfaces) return args.interfaces.map((i) => ({ bridge: i.bridge, port: i.name }));
  return args.bridge !== undefined ? [{ bridge: args.bridge, port: args.name }] : [];
}

/**
 * The resources whose ports a flow table's flows name (`in_port=phy-br-ex`): OVS refuses a
 * flow naming a port that is not there yet, so on an empty host the table must wait for them.
 */
export function flowDependencies(program: AdoptedProgram): Map<Declared<unknown>, Declared<unknown>[]> {
  const owners = [...program.patchPairs, ...program.tunnelPorts, ...program.routers] as Declared<unknown>[];
  const deps = new Map<Declared<unknown>, Declared<unknown>[]>();
  for (const table of program.flowTables) {
    const text = table.args.flows.map((f) => `${f.match ?? ""} ${f.actions}`).join(" ");
    const named = (port: string) => text.split(/[\s=:,()"[\]]+/).includes(port);
    const found = owners.filter((d) => portsOf(d).some((p) => p.bridge === table.args.bridge && named(p.port)));
    if (found.length) deps.set(table, found);
  }
  return deps;
}

export interface RenderOptions {
  /** Write `adopt: true` on what is taken over (the `adopt` resource argument). Default true. */
  adoptFlag?: boolean;
  /** The module the classes come from. Default `ovslab` (a test compiles against the checkout's sdk/). */
  module?: string;
}

export function renderProgram(program: AdoptedProgram, options: RenderOptions = {}): string {
  const adoptFlag = options.adoptFlag ?? true;
  const taken = new Set([
    "connection",
    "adopt",
    "datapathType",
    "hostConnection",
    "Bridge",
    "FlowTable",
    "PatchPair",
    "RouterNamespace",
    "TunnelPort",
  ]);
  const refs = new Map<string, Raw>();
  const lines: string[] = [];
  const classes = [
    ["Bridge", program.bridges],
    ["PatchPair", program.patchPairs],
    ["TunnelPort", program.tunnelPorts],
    ["FlowTable", program.flowTables],
    ["RouterNamespace", program.routers],
  ] as const;
  const used = classes
    .filter(([, list]) => list.length)
    .map(([cls]) => cls as string)
    .sort();
  const adopting = adoptFlag && classes.some(([, list]) => (list as Declared<unknown>[]).some((d) => d.adopt));
  lines.push(
    `// Declared by \`ovslab adopt\` from ${commentText(program.source)}: what the host had, as a program.`,
    ...(adopting
      ? [
          "// Its first `pulumi up` takes each object marked `adopt` over in place: it adds ovslab's",
          "// ownership marks and changes nothing else. Read it, then run `pulumi preview`.",
        ]
      : []),
    `import { ${[...used, "hostConnection"].join(", ")} } from ${quote(options.module ?? "ovslab")};`,
    "",
    "// ovslab:host, port, user, hostKey and the secret ovslab:privateKey from stack config.",
    "const connection = hostConnection();",
  );
  if (adopting)
    lines.push(
      "// These objects exist on the host already, made by hand or by another tool: take them over.",
      "const adopt = true;",
    );
  const types = program.bridges.map((b) => b.args.datapathType).filter((t) => t !== undefined);
  const shared = types.length >= 2 && types.every((t) => t === types[0]) ? types[0] : undefined;
  if (shared) lines.push(`const datapathType = ${quote(shared)};`);
  // Sysctls two namespaces or more share (VMs' kernel defaults, typically): one constant each.
  const sysctlNames = new Map<string, Raw>();
  const counts = new Map<string, number>();
  for (const r of program.routers)
    if (r.args.sysctls)
      counts.set(JSON.stringify(r.args.sysctls), (counts.get(JSON.stringify(r.args.sysctls)) ?? 0) + 1);
  for (const [json, count] of counts) {
    if (count < 2) continue;
    if (sysctlNames.size === 0)
      lines.push("// Sysctls several namespaces share, where they differ from a router's defaults.");
    const variable = variableName("sysctls", taken);
    sysctlNames.set(json, new Raw(variable));
    lines.push(`const ${variable} = ${literal(JSON.parse(json), "", WIDTH - variable.length - 10)};`);
  }

  const common = (d: Declared<unknown>) => ({
    connection: new Raw("connection"),
    ...(adoptFlag && d.adopt ? { adopt: new Raw("adopt") } : {}),
  });
  const deps = flowDependencies(program);
  const needed = new Set([...deps.values()].flat());
  const variables = new Map<Declared<unknown>, string>();
  const statement = (cls: string, d: Declared<unknown>, variable?: string, stated: unknown = d.args) => {
    lines.push("");
    for (const note of d.notes) lines.push(`// ${commentText(note)}`);
    const args = { ...common(d), ...(withRefs(stated, refs) as object) };
    const after = deps.get(d);
    const opts = after ? `, { dependsOn: [${after.map((x) => variables.get(x)).join(", ")}] }` : "";
    const call = `new ${cls}(${quote(d.name)}, ${literal(args, "", WIDTH - cls.length - d.name.length - 30)}${opts});`;
    if (needed.has(d)) variable ??= variableName(d.name, taken);
    if (variable) variables.set(d, variable);
    lines.push(variable ? `const ${variable} = ${call}` : call);
  };
  for (const bridge of program.bridges) {
    const variable = variableName(bridge.args.name, taken);
    const args =
      shared && bridge.args.datapathType === shared
        ? { ...bridge.args, datapathType: new Raw("datapathType") }
        : bridge.args;
    // The name is stated when the resource's name differs from the bridge's (the default).
    const { name, ...rest } = args;
    statement("Bridge", bridge, variable, bridge.name === name ? rest : args);
    refs.set(bridge.args.name, new Raw(`${variable}.name`));
  }
  for (const d of program.patchPairs) statement("PatchPair", d);
  for (const d of program.tunnelPorts) statement("TunnelPort", d);
  for (const r of program.routers) {
    const sysctls = r.args.sysctls && sysctlNames.get(JSON.stringify(r.args.sysctls));
    statement("RouterNamespace", r, undefined, sysctls ? { ...r.args, sysctls } : r.args);
  }
  // Flows last: they may name any port the resources above put on a bridge.
  for (const d of program.flowTables) statement("FlowTable", d);
  if (program.leftAlone.length) {
    lines.push("", "// Left alone: not declared, so this program never changes or deletes them.");
    for (const line of program.leftAlone) lines.push(`// - ${commentText(line)}`);
  }
  return lines.join("\n") + "\n";
}
