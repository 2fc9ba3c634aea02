// `npm run bench:engine`: what the real engine costs for the seed lab on a throwaway host,
// beside the engine alone on an empty program and on a do-nothing dynamic resource, so the
// share that is ours is visible.
// Both run the same way: the `pulumi` command on a Pulumi.yaml project (language host,
// dynamic-provider plugin, file:// backend). Per operation: median wall time over the runs,
// SSH logins and commands seen by the host. Target: a no-op preview costs at most one SSH
// login per host, and our share of it stays under a second.
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../lab";
import { CliStack } from "../engine/cliStack";
import { hostConfig } from "../engine/hostConfig";
import { openStateDir, StateDir } from "../engine/stateDir";
import { engineTools, EngineTools } from "../engine/tools";

type Operation = "up" | "preview" | "destroy";
const OPERATIONS: Operation[] = ["up", "preview", "destroy"];

interface Sample {
  ms: number;
  logins: number;
  commands: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Baselines: the same engine path with programs that do (almost) nothing. */
const BASELINES = {
  // The engine, Node, the language host and @pulumi/pulumi alone.
  empty: 'import "@pulumi/pulumi";\nexport {};\n',
  // ... plus one dynamic resource whose provider does nothing: the dynamic-provider plugin
  // process that any Pulumi dynamic provider starts, without ovslab and without SSH.
  noop: [
    'import * as pulumi from "@pulumi/pulumi";',
    "const provider: pulumi.dynamic.ResourceProvider = { async create() { return { id: \"noop\", outs: {} }; } };",
    'new pulumi.dynamic.Resource(provider, "noop", {});',
    "",
  ].join("\n"),
};

function baselineProject(state: StateDir, name: keyof typeof BASELINES): string {
  const dir = path.join(state.dir, `${name}-project`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ovslab-bench-${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), BASELINES[name]);
  return dir;
}

async function measure(stack: CliStack, op: Operation, lab?: LabHost): Promise<Sample> {
  await lab?.resetCommandLog();
  const logins = (await lab?.sshLogins()) ?? 0;
  const start = process.hrtime.bigint();
  if (op === "up") await stack.up();
  else if (op === "preview") await stack.preview();
  else await stack.destroy();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!lab) return { ms, logins: 0, commands: 0 };
  return { ms, logins: (await lab.sshLogins()) - logins, commands: (await lab.commandLog()).length };
}

/** up from empty, no-op preview, destroy; `runs` times on the same stack. */
async function cycle(stack: CliStack, runs: number, lab?: LabHost): Promise<Record<Operation, Sample[]>> {
  const samples: Record<Operation, Sample[]> = { up: [], preview: [], destroy: [] };
  for (let i = 0; i < runs; i++) for (const op of OPERATIONS) samples[op].push(await measure(stack, op, lab));
  return samples;
}

type Samples = Record<Operation, Sample[]>;

function report(seed: Samples, empty: Samples, noop: Samples, runs: number): void {
  const ms = (samples: Sample[]) => median(samples.map((s) => s.ms));
  const sec = (value: number) => `${(value / 1000).toFixed(2)} s`;
  const columns = ["operation", "seed lab", "empty prog.", "noop dynamic", "ours", "ssh logins", "commands"];
  const widths = [11, 10, 13, 14, 8, 12, 8];
  const line = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i])).join(" "));
  console.log(
    `\nseed lab (examples/openstack-aio: 11 resources: 2 bridges, a patch pair, 2 flow tables, a router, 5 VM namespaces) on one throwaway host; median of ${runs} run(s)`,
  );
  console.log("empty prog.: a program that imports @pulumi/pulumi and declares nothing");
  console.log(
    "noop dynamic: one dynamic resource whose provider does nothing (the plugin start any dynamic provider costs)",
  );
  console.log("ours: seed lab minus noop dynamic (ovslab's code, SSH and OVS)\n");
  line(columns);
  for (const op of OPERATIONS) {
    const seedMs = ms(seed[op]);
    line([
      op,
      sec(seedMs),
      sec(ms(empty[op])),
      sec(ms(noop[op])),
      sec(seedMs - ms(noop[op])),
      `${median(seed[op].map((s) => s.logins))}`,
      `${median(seed[op].map((s) => s.commands))}`,
    ]);
  }
  const ourPreview = ms(seed.preview) - ms(noop.preview);
  const maxLogins = Math.max(...seed.preview.map((s) => s.logins));
  console.log(
    `\nno-op preview: at most ${maxLogins} SSH login(s) per host (target 1): ${maxLogins <= 1 ? "met" : "MISSED"}`,
  );
  console.log(`no-op preview, our share: ${sec(ourPreview)} (target < 1 s): ${ourPreview < 1000 ? "met" : "MISSED"}`);
}

async function openStack(state: StateDir, tools: EngineTools, projectDir: string, name: string): Promise<CliStack> {
  return CliStack.open({ state, tools, projectDir, stackName: name, fresh: true });
}

async function main(): Promise<void> {
  const runs = Number(process.env.OVSLAB_BENCH_RUNS ?? 3);
  const tools = engineTools();
  const state = openStateDir(path.join(tools.repo, ".ovslab", "bench"));
  const lab = await startLabHost({ name: "ovslab-bench" });
  try {
    const seedStack = await openStack(state, tools, path.join(tools.repo, "examples", "openstack-aio"), "bench");
    await seedStack.setConfig(hostConfig(lab.connection));
    const emptyStack = await openStack(state, tools, baselineProject(state, "empty"), "bench");
    const noopStack = await openStack(state, tools, baselineProject(state, "noop"), "bench");
    const empty = await cycle(emptyStack, runs);
    const noop = await cycle(noopStack, runs);
    const seed = await cycle(seedStack, runs, lab);
    report(seed, empty, noop, runs);
    for (const stack of [seedStack, emptyStack, noopStack]) await stack.remove();
  } finally {
    await lab.stop();
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:engine failed: ${error.message}`);
    process.exit(1);
  },
);
