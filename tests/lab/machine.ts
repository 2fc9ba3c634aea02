// Test helpers: the system ssh client, and snapshots of what a lab host must not leave
// behind on this machine.
import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { LabConnection } from "../../lab";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(argv: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Key and known_hosts files for the system ssh client, built only from a LabConnection. */
export function clientFiles(connection: LabConnection, hostKey = connection.hostKey) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-test-ssh-"));
  const key = path.join(dir, "id");
  fs.writeFileSync(key, connection.privateKey, { mode: 0o600 });
  const knownHosts = path.join(dir, "known_hosts");
  fs.writeFileSync(knownHosts, `[${connection.host}]:${connection.port} ${hostKey}\n`);
  return { dir, key, knownHosts, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command over real SSH with strict host key checking against `knownHosts`. */
export function ssh(
  connection: LabConnection,
  files: { key: string; knownHosts: string },
  command: string,
): Promise<Run> {
  return run([
    "ssh",
    "-F",
    "/dev/null",
    "-i",
    files.key,
    "-p",
    String(connection.port),
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    `UserKnownHostsFile=${files.knownHosts}`,
    "-o",
    "ConnectTimeout=10",
    `${connection.user}@${connection.host}`,
    command,
  ]);
}

/** Resolves with the error code of connecting to 127.0.0.1:port (`ECONNREFUSED`), or "connected". */
export function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The machine's (root namespace's) named network namespaces and link names. */
export async function machineNetworkState(): Promise<{ netns: string[]; links: string[] }> {
  const netns = (await run(["ip", "netns", "list"])).stdout.split("\n").filter(Boolean).sort();
  const links = (await run(["ip", "-o", "link"])).stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(":")[1].trim().split("@")[0])
    .sort();
  return { netns, links };
}

export const exists = (pid: number) => fs.existsSync(`/proc/${pid}`);

/** Waits (briefly) until none of `pids` has a /proc entry; returns those that still do. */
export async function waitForProcEntriesGone(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(exists);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    left = left.filter(exists);
  }
  return left;
}

export function executable(pid: number): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return "";
  }
}
