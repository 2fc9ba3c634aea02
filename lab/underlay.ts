// The private underlay that joins lab hosts, as a top-of-rack switch joins real ones: a
// network namespace of its own (held by a `sleep` that is PID 1 of a PID namespace of its
// own) with a Linux bridge, and one veth per host, `eth1` inside the host. The addresses
// live only inside the hosts' namespaces; the machine's own network is never touched.
// Ending the `sleep` ends the namespace, which deletes the bridge and every veth (a veth
// pair dies with either end).
import { ChildProcess, spawn } from "child_process";
import { Killable, track, untrack } from "./cleanup";
import type { ExecResult, LabHost } from "./host";
import { childrenOf, isRunning, namespaceId, pidsInNamespace, signal, sleep } from "./procs";

/** The underlay's prefix: a /24 of the documentation-free private range, only inside our namespaces. */
export const UNDERLAY_PREFIX = "10.250.0";
export const UNDERLAY_BRIDGE = "underlay";
/** The host's end of its veth. */
export const UNDERLAY_NIC = "eth1";

export interface Underlay {
  /** `10.250.0.0/24`. */
  readonly subnet: string;
  /** Plugs `host` in: a veth whose host end is `eth1` (down, no address: the host decides). */
  attach(host: LabHost, index: number): Promise<void>;
  /** Unplugs a host: deletes its veth (both ends). */
  detach(index: number): Promise<void>;
  /** Runs argv in the underlay's network namespace (not logged anywhere). */
  exec(argv: string[]): Promise<ExecResult>;
  /** PIDs of the underlay's processes (empty after stop). */
  processIds(): number[];
  /** Ends the namespace and with it the bridge and every veth; throws if anything survived. */
  stop(): Promise<void>;
}

/** The underlay address of host number `index` (1-based): `10.250.0.<10+index>`. */
export const underlayAddress = (index: number) => `${UNDERLAY_PREFIX}.${10 + index}`;
const uplink = (index: number) => `ul-host${index}`;

const ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" };

export async function startUnderlay(): Promise<Underlay> {
  const underlay = new PrivateUnderlay();
  try {
    await underlay.boot();
    return underlay;
  } catch (error) {
    await underlay.stop().catch(() => undefined);
    throw error;
  }
}

class PrivateUnderlay implements Underlay, Killable {
  readonly subnet = `${UNDERLAY_PREFIX}.0/24`;
  private child?: ChildProcess;
  private holder?: number;
  private pidNamespace?: string;
  private stopping?: Promise<void>;

  constructor() {
    track(this);
  }

  async boot(): Promise<void> {
    // --pdeathsig: this process dying kills unshare, whose --kill-child KILLs the holder.
    const child = spawn(
      "setpriv",
      [
        "--pdeathsig",
        "KILL",
        "--",
        "unshare",
        "--net",
        "--pid",
        "--fork",
        "--kill-child=KILL",
        "--",
        "sleep",
        "infinity",
      ],
      { stdio: "ignore", detached: true, env: ENV },
    );
    child.unref();
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (this.holder === undefined) {
      const pid = childrenOf(child.pid!)[0];
      if (pid !== undefined && namespaceId(pid, "net") !== namespaceId(process.pid, "net")) this.holder = pid;
      else if (child.exitCode !== null || Date.now() > deadline)
        throw new Error("lab underlay: its namespace did not start");
      else await sleep(10);
    }
    this.pidNamespace = namespaceId(this.holder, "pid");
    await this.run(["ip", "link", "set", "lo", "up"]);
    await this.run(["ip", "link", "add", UNDERLAY_BRIDGE, "type", "bridge"]);
    await this.run(["ip", "link", "set", UNDERLAY_BRIDGE, "up"]);
  }

  exec(argv: string[]): Promise<ExecResult> {
    if (this.holder === undefined || this.stopping) return Promise.reject(new Error("lab underlay: not running"));
    return new Promise((resolve, reject) => {
      const child = spawn("nsenter", [`--net=/proc/${this.holder}/ns/net`, "--", ...argv], { env: ENV });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ stdout, stderr, code: code ?? 128 }));
    });
  }

  private async run(argv: string[]): Promise<string> {
    const result = await this.exec(argv);
    if (result.code !== 0)
      throw new Error(`lab underlay: ${argv.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  async attach(host: LabHost, index: number): Promise<void> {
    // Created here, the host end moved straight into the host's namespace (named by its PID 1).
    await this.run([
      "ip",
      "link",
      "add",
      uplink(index),
      "type",
      "veth",
      "peer",
      "name",
      UNDERLAY_NIC,
      "netns",
      String(host.pid),
    ]);
    await this.run(["ip", "link", "set", uplink(index), "master", UNDERLAY_BRIDGE, "up"]);
  }

  async detach(index: number): Promise<void> {
    await this.run(["ip", "link", "del", uplink(index)]);
  }

  processIds(): number[] {
    const pids: number[] = [];
    if (this.child?.pid && isRunning(this.child.pid)) pids.push(this.child.pid);
    if (this.pidNamespace) pids.push(...pidsInNamespace(this.pidNamespace));
    return [...new Set(pids)].sort((a, b) => a - b);
  }

  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.ref();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // KILL the holder, PID 1 of its namespace: unshare reaps it and exits.
      if (this.holder !== undefined && isRunning(this.holder)) signal(this.holder, "SIGKILL");
      else child.kill("SIGKILL");
      await exited;
    }
    untrack(this);
    const left = this.processIds();
    if (left.length > 0) throw new Error(`lab underlay: processes ${left.join(", ")} survived stop()`);
  }

  killNow(): void {
    try {
      if (this.holder !== undefined && isRunning(this.holder)) signal(this.holder, "SIGKILL");
      else if (this.child?.exitCode === null) this.child.kill("SIGKILL");
    } catch {
      // Exit path: nothing sensible is left to do with an error here.
    }
  }
}
