// A throwaway lab "VM": fresh mount, UTS, network and PID namespaces with a private OVS
// (default paths, so plain `ovs-vsctl` works) and an sshd on 127.0.0.1:22 inside, reached
// through a relay on the machine's loopback. See docs in DESIGN "The real test host".
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandError } from "../transport/types";
import { Killable, track, untrack } from "./cleanup";
import { SHIM_BODY, VM_INIT_SCRIPT } from "./init-script";
import { fingerprint, generateKey } from "./keys";
import { childrenOf, executable, isRunning, namespaceId, pidsInNamespace, signal, sleep, waitUntilGone } from "./procs";
import { Relay, startRelay, waitForSshBanner } from "./relay";

/** Same field names as @pulumi/command's `remote.ConnectionArgs`. */
export interface LabConnection {
  host: string;
  port: number;
  user: string;
  privateKey: string;
  /** The VM's host public key, `ssh-ed25519 AAAA...`, for pinning. */
  hostKey: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface LabHost {
  /** Unique among live VMs, e.g. `ovslab-vm-3fa9c1`; also the VM's hostname. */
  readonly name: string;
  readonly connection: LabConnection;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** The VM's temp dir on this machine: keys, sshd_config, known_hosts, logs. Gone after stop(). */
  readonly dir: string;
  /**
   * Runs argv inside the VM (its namespaces) via nsenter, NOT over SSH: for test
   * assertions and drift made "by hand". PATH leaves out /usr/local/sbin, so these
   * commands stay out of the command log.
   */
  exec(argv: string[], stdin?: string): Promise<ExecResult>;
  /** Like exec but throws (naming the command, exit code and stderr) on non-zero exit; returns stdout. */
  sh(argv: string[], stdin?: string): Promise<string>;
  /** Every command that ran on the VM through the logging shims since start (or the last reset), oldest first. */
  commandLog(): Promise<string[][]>;
  resetCommandLog(): Promise<void>;
  /** Number of SSH logins accepted so far (from sshd's log). */
  sshLogins(): Promise<number>;
  /** Kills sshd and every SSH session, and closes the relay port (connections are refused). */
  stopSsh(): Promise<void>;
  /** Brings sshd and the relay back, same port and host key. */
  startSsh(): Promise<void>;
  /** argv for the system `ssh` client logging into the VM with the pinned host key. */
  sshCommand(...remoteCommand: string[]): string[];
  /** PIDs (as this machine numbers them) of every process that belongs to the VM right now. */
  processIds(): number[];
  /** Stops everything by PID and removes every trace: processes, namespaces, temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface LabHostOptions {
  /** Lowercase letters, digits and dashes; default `ovslab-vm-<random>`. */
  name?: string;
  /** How long to wait for OVS and sshd to come up (default 30 s: two shared cores). */
  startTimeoutMs?: number;
}

/** What the VM's processes start from: nothing of this process's environment leaks in. */
const VM_ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LC_ALL: "C" };
const SSHD = "/usr/sbin/sshd";
const liveNames = new Set<string>();

/** Starts a VM; resolves once sshd answers through the relay and ovs-vswitchd has applied a change. */
export async function startLabHost(options: LabHostOptions = {}): Promise<LabHost> {
  const name = options.name ?? `ovslab-vm-${randomBytes(3).toString("hex")}`;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
    throw new Error(
      `lab host name "${name}": must be 1-63 lowercase letters, digits or dashes (it becomes the hostname)`,
    );
  }
  if (liveNames.has(name)) throw new Error(`lab host name "${name}": a VM of that name is already running`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const vm = new VmHost(name, dir);
  try {
    await vm.boot(options.startTimeoutMs ?? 30_000);
    return vm;
  } catch (error) {
    await vm.stop().catch(() => undefined);
    throw error;
  }
}

class VmHost implements LabHost, Killable {
  connection!: LabConnection;
  hostKeyFingerprint!: string;
  private privateKeyPath = "";
  private knownHostsPath = "";
  private unshare?: ChildProcess;
  private unshareExited?: Promise<void>;
  /** PID 1 of the VM, as this machine numbers it. */
  private initPid?: number;
  private pidNamespace?: string;
  private relay?: Relay;
  private stopping?: Promise<void>;

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    liveNames.add(name);
    track(this);
  }

  async boot(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const [user, host] = await Promise.all([
      generateKey(path.join(this.dir, "id_ed25519"), `ovslab@${this.name}`),
      generateKey(path.join(this.dir, "ssh_host_ed25519_key"), `root@${this.name}`),
    ]);
    this.privateKeyPath = user.privateKeyPath;
    this.hostKeyFingerprint = fingerprint(host.publicKey);
    this.write("authorized_keys", user.publicKey + "\n");
    this.write("sshd_config", sshdConfig(this.name, this.dir));
    this.write("shim.bash", SHIM_BODY);
    this.write("vm-init.sh", VM_INIT_SCRIPT);

    await this.startVm(deadline);
    this.relay = await startRelay(this.dir, this.initPid!);
    const port = this.relay.port;
    this.connection = { host: "127.0.0.1", port, user: "root", privateKey: user.privateKey, hostKey: host.publicKey };
    this.knownHostsPath = path.join(this.dir, "known_hosts");
    this.write("known_hosts", `[127.0.0.1]:${port} ${host.publicKey}\n`);
    await waitForSshBanner(port, Math.max(1000, deadline - Date.now()));
  }

  private write(file: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, file), text, { mode: 0o600 });
  }

  private async startVm(deadline: number): Promise<void> {
    const log = fs.openSync(path.join(this.dir, "init.log"), "a");
    const child = spawn(
      "setpriv",
      [
        // This process dying kills unshare, whose --kill-child then TERMs the VM's PID 1.
        "--pdeathsig", "KILL", "--",
        "unshare", "--mount", "--uts", "--net", "--pid", "--fork", "--mount-proc",
        "--propagation", "private", "--kill-child=TERM", "--",
        "bash", path.join(this.dir, "vm-init.sh"), this.name, this.dir,
      ],
      // detached: a Ctrl-C in the terminal must not reach the VM before stop() does.
      { stdio: ["ignore", log, log], detached: true, env: VM_ENV },
    );
    fs.closeSync(log);
    child.unref(); // a VM left running must not keep the process alive: the exit handler ends it
    this.unshare = child;
    this.unshareExited = new Promise((resolve) => child.once("exit", () => resolve()));

    const ready = path.join(this.dir, "ready");
    while (!fs.existsSync(ready)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        const why = child.exitCode !== null || child.signalCode !== null ? "its init script failed" : "timed out";
        throw new Error(`lab host ${this.name}: VM did not start (${why}): ${this.tail("init.log")}`);
      }
      await sleep(10);
    }
    this.initPid = childrenOf(child.pid!)[0];
    this.pidNamespace = this.initPid === undefined ? undefined : namespaceId(this.initPid, "pid");
    if (this.initPid === undefined || this.pidNamespace === undefined) {
      throw new Error(
        `lab host ${this.name}: VM reported ready but its init process is gone: ${this.tail("init.log")}`,
      );
    }
  }

  /** Last lines of a log in the temp dir, for error messages (the dir holds no secret in logs). */
  private tail(file: string): string {
    try {
      const text = fs.readFileSync(path.join(this.dir, file), "utf8").trim();
      return text.split("\n").slice(-5).join(" | ") || "no output";
    } catch {
      return "no log";
    }
  }

  exec(argv: string[], stdin?: string): Promise<ExecResult> {
    if (this.stopping || this.initPid === undefined) {
      return Promise.reject(new Error(`lab host ${this.name}: exec after stop (or before start)`));
    }
    const nsenter = ["--target", String(this.initPid), "--mount", "--uts", "--net", "--pid", "--"];
    return new Promise((resolve, reject) => {
      const child = spawn("nsenter", [...nsenter, ...argv], {
        env: VM_ENV,
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.stdin.on("error", () => undefined); // the command may exit without reading its input
      child.stdin.end(stdin ?? "");
      child.on("error", reject);
      child.on("close", (code, sig) => {
        resolve({ stdout, stderr, code: code ?? 128 + (sig ? os.constants.signals[sig] : 0) });
      });
    });
  }

  async sh(argv: string[], stdin?: string): Promise<string> {
    const result = await this.exec(argv, stdin);
    if (result.code !== 0) throw new CommandError(`lab host ${this.name}`, argv, result);
    return result.stdout;
  }

  async commandLog(): Promise<string[][]> {
    let text: string;
    try {
      text = await fs.promises.readFile(path.join(this.dir, "commands.log"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    // Only complete lines: a shim may be halfway through appending the last one.
    const lines = text.split("\n").slice(0, -1);
    return lines.filter((line) => line !== "").map((line) => JSON.parse(line) as string[]);
  }

  async resetCommandLog(): Promise<void> {
    // Shims append (O_APPEND), so truncating in place is safe while they run.
    await fs.promises.writeFile(path.join(this.dir, "commands.log"), "");
  }

  async sshLogins(): Promise<number> {
    const log = await fs.promises.readFile(path.join(this.dir, "sshd.log"), "utf8").catch(() => "");
    return log.split("\n").filter((line) => line.includes("Accepted publickey for ")).length;
  }

  async stopSsh(): Promise<void> {
    await this.relay?.stop();
    const sshds = this.sshdPids();
    for (const pid of sshds) signal(pid, "SIGKILL");
    const left = await waitUntilGone(sshds, 5000);
    if (left.length > 0) throw new Error(`lab host ${this.name}: sshd processes ${left.join(", ")} survived SIGKILL`);
  }

  async startSsh(): Promise<void> {
    if (this.sshdPids().length === 0) {
      await this.sh([SSHD, "-f", path.join(this.dir, "sshd_config"), "-E", path.join(this.dir, "sshd.log")]);
    }
    const relayUp = this.relay && this.relay.child.exitCode === null && this.relay.child.signalCode === null;
    if (!relayUp) this.relay = await startRelay(this.dir, this.initPid!, this.connection.port);
    await waitForSshBanner(this.connection.port, 10_000);
  }

  private sshdPids(): number[] {
    if (!this.pidNamespace) return [];
    return pidsInNamespace(this.pidNamespace).filter((pid) => executable(pid) === SSHD);
  }

  sshCommand(...remoteCommand: string[]): string[] {
    return [
      "ssh", "-F", "/dev/null", "-i", this.privateKeyPath, "-p", String(this.connection.port),
      "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", `UserKnownHostsFile=${this.knownHostsPath}`,
      `${this.connection.user}@${this.connection.host}`, ...remoteCommand,
    ];
  }

  processIds(): number[] {
    const pids: number[] = [];
    const add = (child: ChildProcess | undefined) => {
      if (!child?.pid || !isRunning(child.pid)) return;
      pids.push(child.pid);
      const ns = namespaceId(child.pid, "pid_for_children");
      if (ns) pids.push(...pidsInNamespace(ns));
    };
    add(this.unshare);
    add(this.relay?.child);
    return [...new Set(pids)].sort((a, b) => a - b);
  }

  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    this.unshare?.ref(); // unref'd children do not keep Node alive to see their exit
    await this.relay?.stop();
    const ns = this.pidNamespace;
    if (ns) {
      // Daemons and sessions first, gently (ovs-vswitchd, ovsdb-server, sshd, whatever
      // a deployment left running); then the VM's PID 1, whose exit makes the kernel
      // kill anything that ignored TERM.
      const members = pidsInNamespace(ns).filter((pid) => pid !== this.initPid);
      for (const pid of members) signal(pid, "SIGTERM");
      await waitUntilGone(members, 3000);
      if (this.initPid !== undefined && namespaceId(this.initPid, "pid") === ns) signal(this.initPid, "SIGTERM");
    } else if (this.unshare?.exitCode === null) {
      // Not booted yet. unshare blocks TERM while it waits; KILL makes --kill-child TERM the init script.
      this.unshare.kill("SIGKILL");
    }
    if (this.unshare && !(await within(this.unshareExited!, 5000))) {
      if (this.initPid !== undefined && namespaceId(this.initPid, "pid") === ns) signal(this.initPid, "SIGKILL");
      else this.unshare.kill("SIGKILL");
      await within(this.unshareExited!, 5000);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    untrack(this);
    liveNames.delete(this.name);
    const left = ns ? pidsInNamespace(ns) : [];
    if (left.length > 0 || (this.unshare?.pid && isRunning(this.unshare.pid))) {
      throw new Error(`lab host ${this.name}: processes ${left.join(", ")} survived stop()`);
    }
  }

  killNow(): void {
    try {
      // KILL each namespace's PID 1 (the kernel then kills the rest), or, before there
      // is one, its unshare (whose --kill-child passes the signal on).
      const relay = this.relay?.child;
      if (relay?.pid && relay.exitCode === null) {
        const socat = childrenOf(relay.pid)[0];
        if (socat !== undefined) signal(socat, "SIGKILL");
        else relay.kill("SIGKILL");
      }
      if (this.initPid !== undefined && this.pidNamespace && namespaceId(this.initPid, "pid") === this.pidNamespace) {
        signal(this.initPid, "SIGKILL");
      } else if (this.unshare?.exitCode === null) {
        this.unshare.kill("SIGKILL");
      }
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // Exit path: nothing sensible is left to do with an error here.
    }
  }
}

/** Whether `promise` settles within `ms`; leaves no timer behind to hold the process open. */
function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function sshdConfig(name: string, dir: string): string {
  return [
    `# sshd of the throwaway ovslab lab VM ${name}`,
    "ListenAddress 127.0.0.1",
    "Port 22",
    `HostKey ${dir}/ssh_host_ed25519_key`,
    "PidFile /run/sshd.pid",
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    // No PAM: nothing from the machine's /etc/pam.d or /etc/environment leaks in.
    "UsePAM no",
    // The temp dir sits under /tmp (world-writable), which StrictModes would reject.
    "StrictModes no",
    "UseDNS no",
    "PrintMotd no",
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "",
  ].join("\n");
}
