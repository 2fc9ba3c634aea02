// Runs a Pulumi program under mocks and records every resource it registers: no engine,
// no host, no network. Each run gets a Pulumi runtime context of its own (the SDK's
// `withLocalStorage`, which the Automation API uses for inline programs), so mocks set
// by a test file with `pulumi.runtime.setMocks` stay as they were, and runs in one
// process (several test files under one mocha) never see each other's resources.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

// Internal modules of the pinned SDK (3.259.0): the isolated context, the root stack
// resource and the RPC queue. The language host and the Automation API use the same.
/* eslint-disable @typescript-eslint/no-require-imports */
const runtimeState: { withLocalStorage<T>(fn: () => Promise<T>): Promise<T> } = require("@pulumi/pulumi/runtime/state");
const runtimeSettings: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");
const runtimeStack: {
  runInPulumiStack(init: () => Promise<unknown>): Promise<Record<string, unknown> | undefined>;
} = require("@pulumi/pulumi/runtime/stack");
const runtimeRpc: { specialSigKey: string; specialSecretSig: string } = require("@pulumi/pulumi/runtime/rpc");
/* eslint-enable @typescript-eslint/no-require-imports */

/** A program: the path of its entry (a file, or a directory with index.ts / index.js), or a function. */
export type Program = string | (() => unknown);

/** One resource as the program registered it. */
export interface Registration {
  /** E.g. `pulumi-nodejs:dynamic/ovslab:Bridge`. */
  type: string;
  name: string;
  /** Inputs with secrets unwrapped and the serialized `__provider` left out. */
  inputs: Record<string, unknown>;
  custom: boolean;
  /** Position in the order the program constructed its resources (registration order may differ). */
  declared: number;
}

/** The mock engine's answer for a custom resource: its id and outputs. */
export type Answer = (registration: Registration) => { id: string; state: Record<string, unknown> };

export interface RunOptions {
  project: string;
  stack: string;
  /** Qualified keys (`ovslab:host`), values as Pulumi hands them over (strings). */
  config: Record<string, string>;
  secretKeys: string[];
  answer: Answer;
}

export interface Run {
  /** In the order the program declared (constructed) them. */
  registrations: Registration[];
  /** The program's exports (stack outputs), resolved. */
  outputs: Record<string, unknown>;
  /** What the program threw, then what failed on the way (an `apply` that threw), each once. */
  errors: unknown[];
}

// Runs now collecting failures. Pulumi reports a failed registration (e.g. an input whose
// `apply` threw) as an unhandled rejection, and its language host catches those; so do we.
// They carry no context, so concurrent runs all receive them (run one at a time).
const activeRuns = new Set<unknown[]>();
function onRejection(reason: unknown): void {
  for (const errors of activeRuns) errors.push(reason);
}

/** Secrets arrive wrapped (`{ <sig>: <secret sig>, value }`); tests and plans want the value. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[runtimeRpc.specialSigKey] === runtimeRpc.specialSecretSig) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Registers ts-node for a TypeScript entry when nothing did (mocha with ts-node already has). */
function ensureTypeScript(entry: string): void {
  if (require.extensions[".ts"]) return;
  const dir = fs.statSync(entry).isDirectory() ? entry : path.dirname(entry);
  const usesTs = entry.endsWith(".ts") || fs.existsSync(path.join(dir, "index.ts"));
  if (!usesTs) return;
  const tsconfig = path.join(dir, "tsconfig.json");
  // The project's own ts-node when it has one, else ours.
  let tsNodePath: string;
  try {
    tsNodePath = require.resolve("ts-node", { paths: [dir] });
  } catch {
    tsNodePath = require.resolve("ts-node");
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(tsNodePath).register({
    transpileOnly: true,
    ...(fs.existsSync(tsconfig) ? { project: tsconfig } : { skipProject: true }),
    compilerOptions: { module: "commonjs", moduleResolution: "node" },
  });
}

/** The program's own files (not its node_modules), so a second run executes them again. */
function forgetModules(dir: string): void {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(prefix) && !file.slice(prefix.length).split(path.sep).includes("node_modules"))
      delete require.cache[file];
  }
}

/** Loads the program as Pulumi's Node language host does: require it, call an exported function. */
async function execute(program: Program, constructed: string[]): Promise<unknown> {
  // Called synchronously in each resource's constructor, so it sees the program's own order.
  pulumi.runtime.registerStackTransformation((args) => {
    constructed.push(`${args.type}::${args.name}`);
    return undefined;
  });
  if (typeof program === "function") return await program();
  const entry = path.resolve(program);
  if (!fs.existsSync(entry)) throw new Error(`program ${program} does not exist`);
  const dir = fs.statSync(entry).isDirectory() ? entry : path.dirname(entry);
  ensureTypeScript(entry);
  forgetModules(dir);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(fs.statSync(entry).isDirectory() ? entry + path.sep : entry);
    const main = exported && Object.keys(exported).length === 1 && "default" in exported ? exported.default : exported;
    return await (main instanceof Function ? main() : main);
  } finally {
    forgetModules(dir);
  }
}

/** One of each error message: an Output's failure reaches us through several promises. */
function distinct(errors: unknown[]): unknown[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export async function runProgram(program: Program, options: RunOptions): Promise<Run> {
  const registrations: Registration[] = [];
  const constructed: string[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const { __provider: _provider, ...rest } = args.inputs as Record<string, unknown>;
      const declared = constructed.indexOf(`${args.type}::${args.name}`);
      const registration: Registration = {
        type: args.type,
        name: args.name,
        inputs: unwrapSecrets(rest) as Record<string, unknown>,
        custom: args.custom ?? false,
        declared: declared < 0 ? constructed.length + registrations.length : declared,
      };
      registrations.push(registration);
      if (!registration.custom) return { id: undefined, state: {} };
      return options.answer(registration);
    },
    call: (args) => args.inputs,
  };
  return runtimeState.withLocalStorage(async () => {
    await pulumi.runtime.setMocks(mocks, options.project, options.stack, false);
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);
    const errors: unknown[] = [];
    if (activeRuns.size === 0) process.on("unhandledRejection", onRejection);
    activeRuns.add(errors);
    try {
      // The program's own throw is kept here, not passed to the stack resource, which
      // would report it again through several promises of its own.
      let thrown: { error: unknown } | undefined;
      const outputs = await runtimeStack.runInPulumiStack(() =>
        execute(program, constructed).catch((error) => void (thrown = { error })),
      );
      await runtimeSettings.waitForRPCs();
      await new Promise((resolve) => setImmediate(resolve)); // rejections are reported after the microtasks drain
      registrations.sort((a, b) => a.declared - b.declared);
      return {
        registrations,
        outputs: unwrapSecrets(outputs ?? {}) as Record<string, unknown>,
        errors: [...(thrown ? [thrown.error] : []), ...distinct(errors)],
      };
    } finally {
      activeRuns.delete(errors);
      if (activeRuns.size === 0) process.off("unhandledRejection", onRejection);
    }
  });
}
