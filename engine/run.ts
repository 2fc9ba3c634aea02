// Runs the `pulumi` binary: argv only (no shell), output captured and optionally echoed,
// a failure reported with the command and the tail of what Pulumi printed (Pulumi masks
// secrets as [secret] in its own output; we add nothing from config).
import { spawn } from "node:child_process";
import * as path from "node:path";
import { formatArgv } from "../core/shell";

export interface PulumiRun {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiRunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Fed to standard input (a secret config value: never on the command line). */
  stdin?: string;
  /** Copy output to this process's stderr as it arrives (progress for people). */
  echo?: boolean;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export class PulumiError extends Error {
  constructor(readonly run: PulumiRun) {
    const tail = (run.stdout + "\n" + run.stderr).trim().split("\n").slice(-25).join("\n");
    super(`\`${formatArgv(run.argv)}\` failed (exit ${run.code}):\n${tail}`);
    this.name = "PulumiError";
  }
}

export function runPulumi(pulumiBin: string, args: string[], options: PulumiRunOptions): Promise<PulumiRun> {
  const argv = ["pulumi", ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(pulumiBin, "pulumi"), args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 15 * 60_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (options.echo) process.stderr.write(d);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (options.echo) process.stderr.write(d);
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${path.join(pulumiBin, "pulumi")}: ${error.message} (run \`npm run setup\`)`));
    });
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      const run = { argv, code: code ?? (sig ? 128 : 1), stdout, stderr };
      if (run.code !== 0 && !options.allowFailure) reject(new PulumiError(run));
      else resolve(run);
    });
  });
}
