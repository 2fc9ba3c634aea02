#!/usr/bin/env node
// The `ovslab` command: look at a lab program before any host is involved.
//   ovslab plan <program dir>   the idempotent bash script that builds it on an empty host
//   ovslab graph <program dir>  a diagram of it (SVG, Mermaid or DOT)
// Both run the program under Pulumi mocks: no engine, no host, no network.
//   ovslab adopt --host H ...   the program that declares what a live host has (bin/adopt.ts)
import * as fs from "node:fs";
import * as path from "node:path";
import { LabError } from "../testing/errors";
import type { GraphFormat } from "../render";

const USAGE = `usage:
  ovslab init  [dir]
  ovslab plan  <program dir> [--stack NAME] [--config KEY=VALUE]... [--out FILE] [--host HOST]
  ovslab graph <program dir> [--stack NAME] [--config KEY=VALUE]... [--out FILE] [--mermaid | --dot]
  ovslab lab start [--name NAME] | ovslab lab stop
  ovslab adopt --host HOST [--port N] [--user U] [--key FILE] [--host-key KEY] [--bridge BR]...
               [--netns PATTERN]... [--cookie C]... [--owner PROJECT/STACK] [--no-adopt-field] [--out FILE]

init   writes a lab project into dir (default: here): Pulumi.yaml, index.ts, a mocks test,
       tsconfig.json, .mocharc.json, package.json entries. Never overwrites a file.

plan   prints the bash script that builds the lab on an empty host (idempotent: a
       second run changes nothing), commands in dependency order, commented per resource.
       A lab on several hosts: a section per host, run with the host's name as argument
       (bash plan.sh network); --host HOST prints that host's script alone.
graph  draws the lab: bridges with their ports and VLAN tags, patch pairs, router
       namespaces with interfaces and addresses, flows per bridge by resource; a lab on
       several hosts as a box per host, tunnels drawn between them. SVG by default.

lab    start: a throwaway lab host on this machine (Linux, root: namespaces, Open vSwitch,
       sshd); prints the \`pulumi config set\` lines for it. stop: stops it.

adopt  reads a live host over SSH (reads only) and prints the Pulumi program that declares
       it: bridges (default every one), ports, patch pairs, tunnel ports, flows of cookie 0
       and of each --cookie as FlowTables, namespaces matching --netns (default every one,
       \`*\` matches anything) as RouterNamespaces with SNAT and floating IPs. Each resource
       says \`adopt: true\` (none with --no-adopt-field). What it leaves alone (other cookies,
       other agents' nat chains, devices it cannot state, objects of another ovslab stack) is
       listed as comments. --owner PROJECT/STACK: that stack's marked objects are declared as
       its own, under the names their marks carry.

The program runs under Pulumi mocks: no engine, host or network. Config comes from
Pulumi.yaml, Pulumi.<stack>.yaml (default stack: dev; secure values are not decrypted)
and --config; the ovslab:* connection settings default to inert placeholders.`;

class UsageError extends Error {}

interface Args {
  command: "plan" | "graph";
  dir: string;
  stack?: string;
  config: Record<string, string>;
  out?: string;
  format: GraphFormat;
  /** plan: only this host's resources. */
  host?: string;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== "plan" && command !== "graph")
    throw new UsageError(command ? `unknown command "${command}"` : "no command");
  const args: Args = { command, dir: "", config: {}, format: "svg" };
  const value = (flag: string, i: number) => {
    if (rest[i] === undefined || rest[i].startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return rest[i];
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--stack") args.stack = value(a, ++i);
    else if (a === "--out" || a === "-o") args.out = value(a, ++i);
    else if (a === "--host" && command === "plan") args.host = value(a, ++i);
    else if (a === "--config" || a === "-c") {
      const pair = value(a, ++i);
      const at = pair.indexOf("=");
      if (at <= 0) throw new UsageError(`--config ${pair}: expected KEY=VALUE`);
      args.config[pair.slice(0, at)] = pair.slice(at + 1);
    } else if ((a === "--mermaid" || a === "--dot") && command === "graph")
      args.format = a === "--mermaid" ? "mermaid" : "dot";
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} for ${command}`);
    else if (!args.dir) args.dir = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!args.dir) throw new UsageError(`${command} needs a program directory`);
  if (!fs.existsSync(path.join(args.dir, "Pulumi.yaml")))
    throw new UsageError(`${args.dir}: no Pulumi.yaml (expected a Pulumi project directory)`);
  return args;
}

/** `init` and `lab`: they load neither the SDK nor a program (init runs before npm install). */
async function small(argv: string[]): Promise<string | number> {
  const [command, ...rest] = argv;
  const usage = (why: string) => (process.stderr.write(`ovslab: ${why}\n\n${USAGE}\n`), 2);
  if (command === "init") {
    if (rest.length > 1 || rest.some((a) => a.startsWith("-"))) return usage("init takes one directory at most");
    const { init, initReport } = await import("./init");
    const dir = rest[0] ?? ".";
    return initReport(dir, init(dir));
  }
  const { labStart, labStop } = await import("./lab");
  if (rest[0] === "start" && (rest.length === 1 || (rest.length === 3 && rest[1] === "--name")))
    return labStart(process.cwd(), rest[2]);
  if (rest[0] === "stop" && rest.length === 1) return labStop(process.cwd());
  return usage("lab takes start [--name NAME] or stop");
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "adopt") {
    const { adopt, parseAdoptArgs, AdoptUsageError } = await import("./adopt");
    let args;
    try {
      args = parseAdoptArgs(argv.slice(1));
    } catch (error) {
      if (!(error instanceof AdoptUsageError)) throw error;
      process.stderr.write(`ovslab: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const text = await adopt(args);
    if (!args.out) process.stdout.write(text);
    return 0;
  }
  if (argv[0] === "init" || argv[0] === "lab") {
    const done = await small(argv);
    if (typeof done === "number") return done;
    process.stdout.write(done);
    return 0;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ovslab: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  // Loaded only now: the Pulumi SDK takes a second, and a usage error should not wait for it.
  const { loadLab } = await import("../testing/load");
  const lab = await loadLab(args.dir, { stack: args.stack, config: args.config });
  const text =
    args.command === "plan"
      ? lab.script(args.dir, args.host)
      : await (await import("../render")).drawLab(lab.declared, args.format, `${lab.project}/${lab.stack}`);
  if (args.out) fs.writeFileSync(args.out, text, { mode: args.command === "plan" ? 0o755 : 0o644 });
  else process.stdout.write(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    // A lab problem is the user's to fix: one line each, no stack trace.
    if (error instanceof LabError) {
      for (const problem of error.problems) process.stderr.write(`ovslab: ${problem}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`ovslab: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.OVSLAB_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
      process.exitCode = 70; // EX_SOFTWARE: a bug of ours, not of the program
    }
  },
);
