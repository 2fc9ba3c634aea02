// `ovslab lab start|stop`: the throwaway lab host (lab/) as a user command. `start` runs
// the host in a process of its own (lab/cli.js), writes its key and where it runs into
// the project's .ovslab/, and prints the `pulumi config set` lines that point a stack at
// it; `stop` stops it by the PID recorded there. Linux, as root (namespaces, OVS, sshd).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { quote } from "../core/shell";

interface Started {
  name: string;
  pid: number;
  port: number;
  keyFile: string;
  /** The host key and the other config values, for a `start` that finds it running. */
  connection: Omit<LabLine["connection"], "privateKey">;
}

interface LabLine {
  name: string;
  connection: { host: string; port: number; user: string; privateKey: string; hostKey: string };
}

const stateFile = (dir: string) => path.join(dir, ".ovslab", "lab.json");

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The lab host this project started and that still runs, if any. */
export function startedLab(dir: string): Started | undefined {
  if (!fs.existsSync(stateFile(dir))) return undefined;
  const started = JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as Started;
  return running(started.pid) ? started : undefined;
}

/** The lines that point the current stack at the host; values quoted for a POSIX shell. */
export function configLines(line: LabLine, keyFile: string): string[] {
  const c = line.connection;
  return [
    `pulumi config set ovslab:host ${quote(c.host)}`,
    `pulumi config set ovslab:port ${c.port}`,
    `pulumi config set ovslab:user ${quote(c.user)}`,
    `pulumi config set ovslab:hostKey ${quote(c.hostKey)}`,
    `pulumi config set --secret ovslab:privateKey < ${quote(keyFile)}`,
  ];
}

/** Reads the host's one JSON line from the child's stdout (or fails with its log). */
function firstLine(child: ReturnType<typeof spawn>, logFile: string, timeoutMs: number): Promise<LabLine> {
  return new Promise((resolve, reject) => {
    let text = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim() : "";
      reject(new Error(`the lab host did not start: ${why}${log ? `\n${log}` : ""}`));
    };
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      fail(`no answer within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.once("exit", (code) => fail(`exit ${code}`));
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve(JSON.parse(text.slice(0, end)) as LabLine);
    });
  });
}

export async function labStart(dir: string, name?: string): Promise<string> {
  const already = startedLab(dir);
  if (already) {
    const line = { name: already.name, connection: { ...already.connection, privateKey: "" } };
    return startedText(line, already.pid, already.keyFile, "already runs");
  }
  const stateDir = path.join(dir, ".ovslab");
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(stateDir, "lab.log");
  const log = fs.openSync(logFile, "w");
  const cli = path.join(__dirname, "..", "lab", `cli${path.extname(__filename)}`);
  const args = [...process.execArgv, cli, "start", ...(name ? ["--name", name] : [])];
  // Detached, in a session of its own: it outlives this command and a Ctrl-C in its terminal.
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", log] });
  fs.closeSync(log);
  const line = await firstLine(child, logFile, 60_000);
  child.stdout!.destroy();
  child.unref();
  const keyFile = path.join(stateDir, "lab-id_ed25519");
  fs.writeFileSync(keyFile, line.connection.privateKey, { mode: 0o600 });
  const { privateKey: _key, ...connection } = line.connection;
  const started: Started = { name: line.name, pid: child.pid!, port: line.connection.port, keyFile, connection };
  fs.writeFileSync(stateFile(dir), JSON.stringify(started, null, 2) + "\n");
  return startedText(line, child.pid!, keyFile, "runs");
}

function startedText(line: LabLine, pid: number, keyFile: string, state: string): string {
  const relativeKey = path.relative(process.cwd(), keyFile) || keyFile;
  return [
    `# lab host ${line.name} ${state} on 127.0.0.1:${line.connection.port} (PID ${pid}); \`ovslab lab stop\` stops it.`,
    "# Point a stack at it (after `pulumi stack init dev`):",
    ...configLines(line, relativeKey),
    "",
  ].join("\n");
}

export async function labStop(dir: string): Promise<string> {
  if (!fs.existsSync(stateFile(dir))) return "no lab host was started for this project\n";
  const started = JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as Started;
  if (running(started.pid)) {
    process.kill(started.pid, "SIGTERM"); // lab/cli.ts stops the host (by PID) on TERM, then exits
    const deadline = Date.now() + 30_000;
    while (running(started.pid)) {
      if (Date.now() > deadline)
        throw new Error(`lab host ${started.name} (PID ${started.pid}) did not stop within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  fs.rmSync(started.keyFile, { force: true });
  fs.rmSync(stateFile(dir), { force: true });
  return `lab host ${started.name} stopped\n`;
}
