// The port forward into a VM, as people reach a Vagrant VM: socat listens on the ROOT
// namespace's loopback and, per connection, runs `nsenter --net=<VM> socat` to the
// VM's sshd on 127.0.0.1:22. No address, route or firewall of the machine changes.
//
// socat runs as PID 1 of a PID namespace of its own: ending it ends every per-connection
// process with it, and nothing is left for this machine's PID 1 (which does not reap
// orphans) to turn into zombies.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { childrenOf, isRunning, signal, sleep } from "./procs";

export interface Relay {
  readonly port: number;
  /** The `unshare` whose child, socat, is PID 1 of the relay's PID namespace. */
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the relay to the VM whose network namespace is held by `vmPid`; port 0 picks a free one. */
export async function startRelay(dir: string, vmPid: number, port = 0): Promise<Relay> {
  const logPath = path.join(dir, "relay.log");
  const start = fs.existsSync(logPath) ? fs.statSync(logPath).size : 0;
  const inner = `nsenter --net=/proc/${vmPid}/ns/net socat STDIO TCP:127.0.0.1:22,nodelay`;
  const err = fs.openSync(path.join(dir, "relay.err"), "a");
  const child = spawn(
    "setpriv",
    [
      // If this Node process dies, so does the relay (and, via --kill-child, its socat).
      "--pdeathsig", "KILL", "--",
      "unshare", "--pid", "--fork", "--kill-child=KILL", "--",
      "socat", "-d", "-d", "-lf", logPath,
      `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork,nodelay,backlog=128`,
      `EXEC:"${inner}"`,
    ],
    { stdio: ["ignore", err, err], detached: true, env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } },
  );
  fs.closeSync(err);
  child.unref();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.ref(); // unref'd children do not keep Node alive to see their exit
    // KILL socat, PID 1 of the relay's namespace: the kernel ends every connection with
    // it and unshare reaps it and exits. (Killing unshare instead would leave socat to
    // this machine's PID 1 as a zombie; unshare also blocks TERM while it waits.)
    const socat = childrenOf(child.pid!)[0];
    if (socat !== undefined) signal(socat, "SIGKILL");
    else child.kill("SIGKILL");
    await exited;
  };

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const log = fs.existsSync(logPath) ? fs.readFileSync(logPath, "utf8").slice(start) : "";
    const match = /listening on AF=2 127\.0\.0\.1:(\d+)/.exec(log);
    if (match) return { port: Number(match[1]), child, stop };
    if (child.pid === undefined || !isRunning(child.pid) || child.exitCode !== null) break;
    await sleep(10);
  }
  await stop();
  const why = fs.readFileSync(path.join(dir, "relay.err"), "utf8").trim().split("\n").slice(-3).join(" | ");
  throw new Error(`lab relay: socat did not listen on 127.0.0.1:${port || "<free port>"}: ${why || "no output"}`);
}

/** Resolves once something on `port` speaks SSH (the banner `SSH-2.0-...` arrived). */
export async function waitForSshBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const banner = await readBanner(port).catch((error: Error) => `error: ${error.message}`);
    if (banner.startsWith("SSH-2.0-")) return;
    last = banner || "connection closed without a banner";
    await sleep(20);
  }
  throw new Error(`lab relay 127.0.0.1:${port}: sshd did not answer within ${timeoutMs} ms (${last})`);
}

function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let data = "";
    const done = (text: string) => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(2000, () => done(data));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\n")) done(data);
    });
    socket.on("end", () => done(data));
    socket.on("error", reject);
  });
}
