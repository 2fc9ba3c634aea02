// `npm run bench:multihost`: the real engine on examples/openstack-multinode (a network node
// and N computes, each a throwaway lab host on a private underlay) beside the single-host
// seed lab, in one run. Per operation (up from empty, no-op preview, destroy): wall time,
// resources, time per resource and its ratio to the seed lab's, SSH logins per host. The
// resource counts are fixed by the programs (loadLab under mocks, stated in the report) and
// checked against what the engine's preview lists, so every ratio has a known denominator.
// N defaults to 2 and 4 (OVSLAB_BENCH_COMPUTES="4,8" for more): a 2-core shared machine
// runs every host's ovs-vswitchd and sshd at once, and 9 hosts load it past what the
// figures should measure.
import * as fs from "node:fs";
import * as path from "node:path";
import { startLabHost, LabHost } from "../lab";
import { startLabHosts } from "../lab/multihost";
import { CliStack } from "../engine/cliStack";
import { hostConfig } from "../engine/hostConfig";
import { configureMultinode, MULTINODE_EXAMPLE, multinodeHostNames } from "../engine/multinode";
import { openStateDir, StateDir } from "../engine/stateDir";
import { engineTools } from "../engine/tools";
import { loadLab } from "../testing";

type Operation = "up" | "preview" | "destroy";
const OPERATIONS: Operation[] = ["up", "preview", "destroy"];

interface Sample {
  ms: number;
  /** SSH logins seen by each host during the operation. */
  logins: number[];
}

interface Row {
  label: string;
  hosts: number;
  resources: number;
  samples: Record<Operation, Sample>;
}

async function measure(stack: CliStack, op: Operation, hosts: LabHost[]): Promise<Sample> {
  const before = await Promise.all(hosts.map((h) => h.sshLogins()));
  const start = process.hrtime.bigint();
  if (op === "up") await stack.up();
  else if (op === "preview") await stack.preview();
  else await stack.destroy();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const after = await Promise.all(hosts.map((h) => h.sshLogins()));
  return { ms, logins: after.map((n, i) => n - before[i]) };
}

/** ovslab's resources that touch a host (dynamic resources, not components), from a preview after up. */
async function resourceCount(stack: CliStack): Promise<number> {
  const preview = JSON.parse((await stack.preview(["--json", "--show-sames"])).stdout);
  // Distinct URNs: with `refresh: always` (the seed lab) a resource has a refresh step and a `same` step.
  const urns = preview.steps
    .map((s: { urn: string }) => s.urn)
    .filter((u: string) => /[:$]pulumi-nodejs:dynamic\/ovslab:/.test(u));
  return new Set(urns).size;
}

/** The program's ovslab resources, as `ovslab/testing` counts them under mocks: fixed by the program and its config. */
async function declaredCount(projectDir: string, config: Record<string, string> = {}): Promise<number> {
  return (await loadLab(projectDir, { config })).resources.length;
}

async function cycle(label: string, stack: CliStack, hosts: LabHost[], resources: number): Promise<Row> {
  const up = await measure(stack, "up", hosts);
  const seen = await resourceCount(stack);
  if (seen !== resources)
    throw new Error(`${label}: the engine lists ${seen} ovslab resources, the program declares ${resources}`);
  const preview = await measure(stack, "preview", hosts);
  const destroy = await measure(stack, "destroy", hosts);
  await stack.remove();
  return { label, hosts: hosts.length, resources, samples: { up, preview, destroy } };
}

async function seedLab(state: StateDir): Promise<Row> {
  const lab = await startLabHost({ name: "ovslab-bench" });
  try {
    const projectDir = path.join(engineTools().repo, "examples", "openstack-aio");
    const stack = await CliStack.open({ state, projectDir, stackName: "seed", fresh: true });
    await stack.setConfig(hostConfig(lab.connection));
    return await cycle("seed lab", stack, [lab], await declaredCount(projectDir));
  } finally {
    await lab.stop();
  }
}

async function multinode(state: StateDir, computes: number): Promise<Row> {
  const lab = await startLabHosts({ names: multinodeHostNames(computes) });
  try {
    const stack = await CliStack.open({
      state,
      projectDir: MULTINODE_EXAMPLE,
      stackName: `mh${computes}`,
      fresh: true,
    });
    await configureMultinode(stack, lab);
    const resources = await declaredCount(MULTINODE_EXAMPLE, { computes: String(computes) });
    return await cycle(`1 network + ${computes} computes`, stack, Object.values(lab.hosts), resources);
  } finally {
    await lab.stop();
  }
}

function report(rows: Row[]): void {
  const seed = rows[0];
  const perResource = (row: Row, op: Operation) => row.samples[op].ms / row.resources;
  const widths = [26, 6, 10, 9, 9, 13, 9, 16];
  const line = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i])).join(" "));
  console.log("\none run each; ratio: time per resource divided by the seed lab's for the same operation");
  console.log("resources: the program's ovslab resources (loadLab under mocks), the same number the engine listed");
  console.log("ssh logins per host: min-max over the hosts\n");
  line(["lab", "hosts", "resources", "operation", "time", "per resource", "ratio", "ssh logins/host"]);
  for (const row of rows) {
    for (const op of OPERATIONS) {
      const s = row.samples[op];
      line([
        op === "up" ? row.label : "",
        op === "up" ? String(row.hosts) : "",
        op === "up" ? String(row.resources) : "",
        op,
        `${(s.ms / 1000).toFixed(2)} s`,
        `${perResource(row, op).toFixed(0)} ms`,
        (perResource(row, op) / perResource(seed, op)).toFixed(2),
        `${Math.min(...s.logins)}-${Math.max(...s.logins)}`,
      ]);
    }
  }
}

async function main(): Promise<void> {
  const computes = (process.env.OVSLAB_BENCH_COMPUTES ?? "2,4").split(",").map(Number);
  if (computes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(
      `OVSLAB_BENCH_COMPUTES must be a comma-separated list of whole numbers >= 1 (got "${process.env.OVSLAB_BENCH_COMPUTES}")`,
    );
  }
  const state = openStateDir(path.join(engineTools().repo, ".ovslab", "bench-multihost"));
  try {
    const rows = [await seedLab(state)];
    for (const n of computes) rows.push(await multinode(state, n));
    report(rows);
  } finally {
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:multihost failed: ${error.message}`);
    process.exit(1);
  },
);
