// `npm run bench:scale`: ovslab at scale against one throwaway lab host, in one run, beside
// B (a hand-written optimal bash script over one SSH session), A (one SSH exec per
// elementary command: sampled and extrapolated) and the floor (the same resources as
// dynamic resources that do nothing). Three sizes: 200 ports / 2,000 flows / 20 routers,
// 1,000 / 20,000 / 50 (its rules as files), and 200 VM namespaces on one br-int. Env:
// OVSLAB_BENCH_SIZES (small,large,vms), OVSLAB_BENCH_INLINE_FLOWS (the large size's rules as
// inputs, not files), OVSLAB_BENCH_RUNS (rounds of floor, ovslab and B in turn, default 1;
// medians printed, and each round's share / B), OVSLAB_BENCH_A_SAMPLE (default 10).
// Besides seconds, the CPU seconds of each `up` by place (lab host's commands, its OVS
// daemons, the client side): on two busy cores, time is CPU, and this says whose.
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../lab";
import { CliStack } from "../engine/cliStack";
import { hostConfig } from "../engine/hostConfig";
import { openStateDir, StateDir } from "../engine/stateDir";
import { engineTools, EngineTools } from "../engine/tools";
import { elementaryCommands, handScript, LabShape, neutronLab, vmLab } from "./scale/shape";
import { writeProject } from "./scale/programs";
import { measure, runSsh, Sample } from "./scale/measure";

const SIZES: Record<string, () => LabShape> = {
  small: () => neutronLab(200, 2000, 20),
  // The rules as files (FlowTable flowsFile): as resource inputs, Pulumi's own handling of
  // 20,000 rules held most of the provider's memory. OVSLAB_BENCH_INLINE_FLOWS=1: as inputs.
  large: () => {
    const lab = neutronLab(1000, 20000, 50);
    if (process.env.OVSLAB_BENCH_INLINE_FLOWS) return lab;
    return { ...lab, label: `${lab.label} (flows as files)`, flowsFiles: true };
  },
  vms: () => vmLab(200),
  // Not in the default run: a quick check that the bench itself works.
  tiny: () => neutronLab(10, 40, 2),
};

/** An operation's figures for each of a stack's up, no-op preview and destroy. */
type Cycle = Record<"up" | "preview" | "destroy", Sample>;

interface Result {
  lab: LabShape;
  resources: number;
  elementary: number;
  ovslab: Cycle;
  floor: Cycle;
  /** B's run (the median of its runs: `ms` is B's time). */
  b: Sample;
  /** Each round's share / B, in the order run. */
  rounds: number[];
  aMs: number;
  aSampled: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianSample = (xs: Sample[]): Sample => ({
  ms: median(xs.map((s) => s.ms)), logins: median(xs.map((s) => s.logins)), reads: median(xs.map((s) => s.reads)),
  writes: median(xs.map((s) => s.writes)), commands: median(xs.map((s) => s.commands)),
  namespaceReads: median(xs.map((s) => s.namespaceReads)), providerMiB: Math.max(...xs.map((s) => s.providerMiB)),
  cpu: {
    hostTools: median(xs.map((s) => s.cpu.hostTools)),
    ovsDaemons: median(xs.map((s) => s.cpu.ovsDaemons)),
    client: median(xs.map((s) => s.cpu.client)),
  },
});

async function cleanHost(lab: LabHost): Promise<void> {
  await lab.sh([
    "sh",
    "-c",
    "ovs-vsctl --if-exists del-br br-int -- --if-exists del-br br-ex; ip -all netns delete 2>/dev/null; true",
  ]);
}

/** One up, no-op preview and destroy of a stack. */
async function cycle(stack: CliStack, lab?: LabHost): Promise<Cycle> {
  const up = await measure(() => stack.up(), lab);
  const preview = await measure(() => stack.preview(), lab);
  const destroy = await measure(() => stack.destroy(), lab);
  return { up, preview, destroy };
}

const medianCycle = (cycles: Cycle[]): Cycle => ({
  up: medianSample(cycles.map((c) => c.up)),
  preview: medianSample(cycles.map((c) => c.preview)),
  destroy: medianSample(cycles.map((c) => c.destroy)),
});

/** A: every setup command, then `sample` commands of each group, one `ssh` each; the rest extrapolated. */
async function perCommand(lab: LabHost, shape: LabShape, sample: number): Promise<{ ms: number; sampled: number }> {
  const groups = elementaryCommands(shape);
  let total = 0;
  let sampled = 0;
  for (const [name, commands] of Object.entries(groups)) {
    const take = name === "setup" ? commands : commands.slice(0, sample);
    if (!take.length) continue;
    const start = process.hrtime.bigint();
    for (const c of take) await runSsh(lab.sshCommand(c));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    total += (ms / take.length) * commands.length;
    sampled += take.length;
  }
  await cleanHost(lab);
  return { ms: total, sampled };
}

async function runSize(
  key: string,
  lab: LabHost,
  state: StateDir,
  tools: EngineTools,
  runs: number,
  sample: number,
): Promise<Result> {
  const shape = SIZES[key]();
  console.error(`bench:scale: ${shape.label}`);
  const stacks: CliStack[] = [];
  const open = async (kind: "ovslab" | "floor") => {
    const dir = writeProject(path.join(state.dir, "projects-src"), `scale-${key}-${kind}`, kind, shape);
    const stack = await CliStack.open({ state, tools, projectDir: dir, stackName: "bench", fresh: true });
    stacks.push(stack);
    return stack;
  };
  const floorStack = await open("floor");
  await floorStack.setConfig(hostConfig(lab.connection)); // the same connection input, a secret
  const ovslabStack = await open("ovslab");
  await ovslabStack.setConfig(hostConfig(lab.connection));
  // Rounds of floor, ovslab and B in turn, not each side's runs in a block: the shared
  // machine's load drifts over minutes, and each round's three figures see the same load.
  const floorRuns: Cycle[] = [];
  const ovslabRuns: Cycle[] = [];
  const bRuns: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    floorRuns.push(await cycle(floorStack));
    ovslabRuns.push(await cycle(ovslabStack, lab));
    await cleanHost(lab);
    bRuns.push(await measure(() => runSsh(lab.sshCommand("bash", "-s"), handScript(shape)), lab));
    await cleanHost(lab);
  }
  const [floor, ovslab] = [medianCycle(floorRuns), medianCycle(ovslabRuns)];
  const rounds = bRuns.map((b, i) => (ovslabRuns[i].up.ms - floorRuns[i].up.ms) / b.ms);
  const a = await perCommand(lab, shape, sample);
  for (const s of stacks) await s.remove();
  const resources =
    (shape.ports.length ? 1 : 0) +
    1 +
    shape.tables.length +
    shape.routers.length +
    (shape.routers.some((r) => r.interfaces?.some((i) => i.bridge === "br-ex")) ? 1 : 0);
  const elementary = Object.values(elementaryCommands(shape)).reduce((n, c) => n + c.length, 0);
  const b = medianSample(bRuns);
  return { lab: shape, resources, elementary, ovslab, floor, b, rounds, aMs: a.ms, aSampled: a.sampled };
}

const sec = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

function report(results: Result[], runs: number, sample: number): void {
  console.log(
    `\nbench:scale: one throwaway lab host, real engine; seconds, median of ${runs} run(s); shared machine: read as proportions`,
  );
  console.log(
    `A = one SSH exec per elementary command: SAMPLED (setup + first ${sample} of each group run for real) and EXTRAPOLATED\n`,
  );
  const head = [
    "size",
    "res.",
    "ovslab up",
    "B up",
    "A up (extrap.)",
    "floor up",
    "share (up-floor)",
    "share/B",
    "A/ovslab",
    "no-op preview",
    "preview reads/writes",
    "provider peak",
  ];
  console.log(head.join(" | "));
  for (const r of results) {
    const share = r.ovslab.up.ms - r.floor.up.ms;
    console.log(
      [
        r.lab.label,
        r.resources,
        sec(r.ovslab.up.ms),
        sec(r.b.ms),
        `~${sec(r.aMs)}`,
        sec(r.floor.up.ms),
        sec(share),
        `${(share / r.b.ms).toFixed(1)}x`,
        `${Math.round(r.aMs / r.ovslab.up.ms)}x`,
        sec(r.ovslab.preview.ms),
        `${r.ovslab.preview.reads}/${r.ovslab.preview.writes}`,
        `${r.ovslab.up.providerMiB.toFixed(0)}/${r.ovslab.preview.providerMiB.toFixed(0)} MiB (up/preview)`,
      ].join(" | "),
    );
  }
  console.log(
    "\nper operation (ovslab): SSH logins, host reads, host writes (tool runs in the lab host's command log); floor seconds",
  );
  for (const r of results) {
    for (const op of ["up", "preview", "destroy"] as const) {
      const s = r.ovslab[op];
      console.log(
        `  ${r.lab.label}: ${op.padEnd(7)} ${sec(s.ms).padStart(6)} s  logins ${s.logins}  reads ${s.reads} (${s.commands} commands + ${s.namespaceReads} namespace reads)  writes ${s.writes}  provider ${s.providerMiB.toFixed(0)} MiB  (floor ${sec(r.floor[op].ms)} s, ${r.floor[op].providerMiB.toFixed(0)} MiB)`,
      );
    }
    const cpu = (s: Sample) =>
      `host tools ${s.cpu.hostTools.toFixed(1)}, OVS daemons ${s.cpu.ovsDaemons.toFixed(1)}, ` +
      `client ${s.cpu.client.toFixed(1)}`;
    console.log(
      `  ${r.lab.label}: CPU seconds of the up: ovslab ${cpu(r.ovslab.up)}; floor ${cpu(r.floor.up)}; B ${cpu(r.b)}`,
    );
    console.log(
      `  ${r.lab.label}: B one session ${sec(r.b.ms)} s, ${r.b.reads + r.b.writes} tool runs; A ${r.elementary} commands, ${r.aSampled} run, ~${sec(r.aMs)} s extrapolated`,
    );
  }
  console.log("\ntargets (printed, not asserted):");
  for (const r of results) {
    const share = r.ovslab.up.ms - r.floor.up.ms;
    console.log(
      `  ${r.lab.label}: share ${sec(share)} s within 1.5x of B (${sec(r.b.ms)} s): ${verdict(share <= 1.5 * r.b.ms)}` +
        ` (round by round: ${r.rounds.map((x) => `${x.toFixed(1)}x`).join(", ")})`,
    );
  }
  // Labs of the same kinds compare: one with 4 FlowTables adds a dump and 4 parse-flows to a lab without flows.
  const nsOnce = results.every((r) => r.ovslab.preview.namespaceReads <= r.lab.routers.length);
  for (const flows of [true, false]) {
    const same = results.filter((r) => (r.lab.tables.length > 0) === flows);
    if (same.length < 2) continue;
    const reads = same.map((r) => r.ovslab.preview.commands);
    console.log(
      `  no-op preview read commands per host besides namespace reads, the same at every size of labs ${flows ? "with" : "without"} flows (${reads.join(", ")}): ${verdict(new Set(reads).size === 1)}`,
    );
  }
  console.log(
    `  no-op preview reads each namespace at most once (${results.map((r) => `${r.ovslab.preview.namespaceReads}/${r.lab.routers.length}`).join(", ")}): ${verdict(nsOnce)}`,
  );
  const sizes = results.filter((r) => r.lab.tables.length);
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const grew = (b.ovslab.up.ms - b.floor.up.ms) / (a.ovslab.up.ms - a.floor.up.ms);
    const size = b.elementary / a.elementary;
    console.log(
      `  growth ${a.lab.label} -> ${b.lab.label}: share x${grew.toFixed(1)} for lab x${size.toFixed(1)}: ${verdict(grew <= size)}`,
    );
  }
  const largest = results.reduce((m, r) => (r.elementary > m.elementary ? r : m), results[0]);
  const peak = Math.max(
    largest.ovslab.up.providerMiB,
    largest.ovslab.preview.providerMiB,
    largest.ovslab.destroy.providerMiB,
  );
  // 0: no provider process was found to sample (a plugin the search does not know): not a pass.
  const rss = peak > 0 ? verdict(peak < 250) : "NOT MEASURED (no provider process seen)";
  console.log(`  provider peak RSS at the largest size ${peak.toFixed(0)} MiB < 250 MiB: ${rss}`);
  console.log(
    `  A/ovslab at the largest size ${Math.round(largest.aMs / largest.ovslab.up.ms)}x >= 100x: ${verdict(largest.aMs / largest.ovslab.up.ms >= 100)}`,
  );
}

async function main(): Promise<void> {
  const runs = Number(process.env.OVSLAB_BENCH_RUNS ?? 1);
  const sample = Number(process.env.OVSLAB_BENCH_A_SAMPLE ?? 10);
  const keys = (process.env.OVSLAB_BENCH_SIZES ?? "small,large,vms").split(",").filter((k) => k in SIZES);
  const tools = engineTools();
  const state = openStateDir(path.join(tools.repo, ".ovslab", "bench-scale"));
  const lab = await startLabHost({ name: "ovslab-scale" });
  try {
    const results: Result[] = [];
    for (const key of keys) results.push(await runSize(key, lab, state, tools, runs, sample));
    report(results, runs, sample);
  } finally {
    await lab.stop();
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:scale failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
