// Measuring one operation: wall time, SSH logins and host reads/writes (the lab host's
// command log), and the peak RSS of the dynamic-provider processes it started.
import * as fs from "node:fs";
import { spawn } from "node:child_process";
import type { LabHost } from "../../lab";
import { isWrite, sortReads } from "../../tests/support/commands";

export interface Sample {
  ms: number;
  logins: number;
  reads: number;
  writes: number;
  /** Read commands besides the namespace reads' tools, and namespace reads (each runs ~8 tools). */
  commands: number;
  namespaceReads: number;
  /** Peak RSS (VmHWM) of the provider processes, MiB; 0 when none was seen. */
  providerMiB: number;
}

const PROVIDER_SCRIPTS = ["dynamic-provider", "pulumi-resource-pulumi-nodejs"];

function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/**
 * Descendants of this process that run Pulumi's dynamic provider: its own script, or our
 * plugin (scripts/engine-bin), which loads that script in the same process.
 */
function providerPids(): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!pid) continue;
    let cmdline = "";
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!PROVIDER_SCRIPTS.some((name) => cmdline.includes(name))) continue;
    for (let p = parentOf(pid), hops = 0; p > 1 && hops < 20; p = parentOf(p), hops++) {
      if (p === process.pid) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

function hwmMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `work` while polling the provider processes' peak RSS. */
export async function measure(work: () => Promise<unknown>, lab?: LabHost): Promise<Sample> {
  await lab?.resetCommandLog();
  const loginsBefore = (await lab?.sshLogins()) ?? 0;
  let peak = 0;
  const seen = new Map<number, number>();
  const poll = () => {
    for (const pid of providerPids()) seen.set(pid, Math.max(seen.get(pid) ?? 0, hwmMiB(pid)));
    peak = Math.max(peak, ...seen.values(), 0);
  };
  const timer = setInterval(poll, 150);
  const start = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!lab) return { ms, logins: 0, reads: 0, writes: 0, commands: 0, namespaceReads: 0, providerMiB: peak };
  const log = await lab.commandLog();
  const writes = log.filter(isWrite).length;
  const sorted = sortReads(log);
  const namespaceReads = [...sorted.namespaces.values()].reduce((a, b) => a + b, 0);
  const logins = (await lab.sshLogins()) - loginsBefore;
  return {
    ms,
    logins,
    reads: log.length - writes,
    writes,
    commands: sorted.others.length,
    namespaceReads,
    providerMiB: peak,
  };
}

/** Runs argv (an ssh command line) with `stdin`; rejects on a non-zero exit, with its stderr. */
export function runSsh(argv: string[], stdin = ""): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${argv.slice(-1)[0].slice(0, 200)}: exit ${code}: ${stderr.slice(0, 500)}`)),
    );
    child.stdin.end(stdin);
  });
}
