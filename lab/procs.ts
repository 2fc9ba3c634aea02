// Finding and ending the lab's processes through /proc, always by PID. A VM's processes
// are exactly the members of its PID namespace, so nothing is matched by name.
import * as fs from "fs";

/** Identity of a namespace as `dev:inode` of its /proc/PID/ns/KIND link, or undefined if PID is gone. */
export function namespaceId(pid: number, kind: "pid" | "pid_for_children" | "net" | "mnt"): string | undefined {
  try {
    const st = fs.statSync(`/proc/${pid}/ns/${kind}`);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** Every live PID (as the machine numbers them) whose PID namespace is `nsId`. */
export function pidsInNamespace(nsId: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (namespaceId(pid, "pid") === nsId && isRunning(pid)) found.push(pid);
  }
  return found.sort((a, b) => a - b);
}

/** The direct children of `pid` (needs CONFIG_PROC_CHILDREN, which Debian kernels have). */
export function childrenOf(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** The process state letter from /proc/PID/stat (`Z` zombie), or undefined when PID is gone. */
function state(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

/** True while PID exists and has not exited (a zombie has exited). */
export function isRunning(pid: number): boolean {
  const s = state(pid);
  return s !== undefined && s !== "Z";
}

/** True while /proc/PID exists at all, zombies included. */
export function exists(pid: number): boolean {
  return fs.existsSync(`/proc/${pid}`);
}

/** The executable of PID (`/usr/sbin/sshd`), or undefined. */
export function executable(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Sends a signal, ignoring "no such process" (it ended on its own meanwhile). */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until none of `pids` runs; returns those still running after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(isRunning);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(20);
    left = left.filter(isRunning);
  }
  return left;
}
