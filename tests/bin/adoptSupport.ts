// What the host tests of `ovslab adopt` share: a project directory for a generated program,
// tsc as a user's project runs it, the command line for a lab host, a program's code lines.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LabHost } from "../../lab";
import { REPO } from "./cli";

/** A project directory inside the checkout (so `ovslab` resolves) holding `program` as index.ts. */
export function projectWith(program: string, project: string): string {
  fs.mkdirSync(path.join(REPO, ".ovslab", "tmp"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO, ".ovslab", "tmp", "adopted-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  return dir;
}

/** `tsc --strict` of a project's index.ts, as a user's project compiles it; its output (empty when clean). */
export function tsc(dir: string): Promise<string> {
  const argv = [
    path.join(REPO, "node_modules", "typescript", "bin", "tsc"),
    "--noEmit",
    "--strict",
    "--target",
    "ES2022",
    "--module",
    "commonjs",
    "--moduleResolution",
    "node",
    "--esModuleInterop",
    "--skipLibCheck",
    "index.ts",
  ];
  return new Promise((resolve) =>
    execFile(path.join(REPO, "node_modules", ".bin", "node"), argv, { cwd: dir }, (_e, stdout, stderr) =>
      resolve(stdout + stderr),
    ),
  );
}

/** The `adopt` command line for a lab host, its key in a file of the lab's temp dir. */
export function adoptArgv(lab: LabHost, ...more: string[]): string[] {
  const keyFile = path.join(lab.dir, "adopt-key");
  fs.writeFileSync(keyFile, lab.connection.privateKey, { mode: 0o600 });
  const c = lab.connection;
  return [
    "adopt",
    "--host",
    c.host,
    "--port",
    String(c.port),
    "--user",
    c.user,
    "--key",
    keyFile,
    "--host-key",
    c.hostKey,
    ...more,
  ];
}

/** Code lines only: comments dropped, so what is declared can be told from what is listed. */
export const code = (program: string) =>
  program
    .split("\n")
    .filter((l) => !l.trim().startsWith("//"))
    .join("\n");
