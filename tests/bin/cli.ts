// Runs the `ovslab` command from its TypeScript source, as a separate process (exit codes
// and stderr are what a user sees), with Node 22 from node_modules.
import { execFile } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");
const NODE = path.join(REPO, "node_modules", ".bin", "node");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = REPO): Promise<CliResult> {
  const argv = ["-r", "ts-node/register/transpile-only", path.join(REPO, "bin", "ovslab.ts"), ...args];
  return new Promise((resolve) => {
    execFile(
      NODE,
      argv,
      { cwd, maxBuffer: 64 << 20, env: { ...process.env, OVSLAB_DEBUG: "" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
