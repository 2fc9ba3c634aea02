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
  /** CPU seconds (user + system) spent meanwhile: where the time goes on a machine whose cores are all busy. */
  cpu: CpuSeconds;
}

/**
 * CPU seconds by place: the lab host's processes (its commands with their shells, sshd, the
 * relay) apart from its OVS daemons; and this process's children (pulumi with its language
 * host and providers, or B's ssh).
 */
export interface CpuSeconds {
  hostTools: number;
  ovsDaemons: number;
  client: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * utime + stime + cutime + cstime of a process (its reaped children included), or only its
 * children's, in ticks; 0 once it is gone.
 */
function ticksOf(pid: number | "self", childrenOnly = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (childrenOnly ? [13, 14] : [11, 12, 13, 14]).reduce((sum, i) => sum + Number(fields[i]), 0);
  } catch {
    return 0;
  }
}

function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/**
 * Ticks so far, by where they were spent. A finished command's time is in the children
 * fields of whoever reaped it (its shell, or the lab's init for an orphan), so summing the
 * live processes counts it once.
 */
function cpuNow(lab?: LabHost): CpuSeconds {
  let hostTools = 0;
  let ovsDaemons = 0;
  for (const pid of lab?.processIds() ?? []) {
    if (/^ovs(-vswitchd|db-server)$/.test(commOf(pid))) ovsDaemons += ticksOf(pid);
    else hostTools += ticksOf(pid);
  }
  return { hostTools, ovsDaemons, client: ticksOf("self", true) };
}

const cpuSince = (before: CpuSeconds, after: CpuSeconds): CpuSeconds => ({
  hostTools: (after.hostTools - before.hostTools) / TICKS_PER_SECOND,
  ovsDaemons: (after.ovsDaemons - before.ovsDaemons) / TICKS_PER_SECOND,
  client: (after.client - before.client) / TICKS_PER_SECOND,
});

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
  const cpuBefore = cpuNow(lab);
  const start = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = cpuSince(cpuBefore, cpuNow(lab));
  if (!lab) return { ms, logins: 0, reads: 0, writes: 0, commands: 0, namespaceReads: 0, providerMiB: peak, cpu };
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
    cpu,
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
