// loadLab: run a lab program under mocks and hand back its resources, or one message per
// problem (invalid specs, a bridge nothing declares, a program that threw).
import * as fs from "node:fs";
import * as path from "node:path";
import { formatProblem, FieldProblem } from "../core/validation";
import { LabError } from "./errors";
import { Lab } from "./lab";
import { configText, Project, qualify, readProject, readStackConfig } from "./project";
import { createdState, labResources } from "./resources";
import { Program, runProgram } from "./run";

export interface LoadOptions {
  /**
   * Stack config over the project's: `{ "ovslab:host": "10.0.0.5", datapathType: "netdev" }`.
   * Keys without a namespace get the project's; values other than strings are JSON-encoded,
   * as Pulumi hands them to programs.
   */
  config?: Record<string, unknown>;
  /** Config keys holding secrets (read with `requireSecret`). `ovslab:privateKey` always is. */
  secrets?: string[];
  /** Default: the `name` in Pulumi.yaml, else `project`. Owner marks and flow cookies derive from it. */
  project?: string;
  /** Default `dev`. Pulumi.<stack>.yaml in the program's directory is read when present. */
  stack?: string;
}

/**
 * The connection settings ovslab programs read by convention (examples/*, engine/hostConfig.ts),
 * filled with inert values when unset: nothing here ever connects, and the connection never
 * reaches a command. `host.invalid` is a name that cannot resolve (RFC 2606).
 */
export const OFFLINE_CONNECTION_CONFIG: Readonly<Record<string, string>> = {
  "ovslab:host": "host.invalid",
  "ovslab:port": "22",
  "ovslab:user": "root",
  "ovslab:privateKey": "offline: ovslab/testing never connects",
  "ovslab:hostKey": "SHA256:" + "0".repeat(43),
};

function projectOf(program: Program): Project | undefined {
  if (typeof program !== "string") return undefined;
  const entry = path.resolve(program);
  const dir = fs.existsSync(entry) && fs.statSync(entry).isDirectory() ? entry : path.dirname(entry);
  if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) return undefined;
  const project = readProject(dir);
  return fs.statSync(entry).isDirectory() ? project : { ...project, main: entry };
}

/** ` (index.ts:12:7)`: where in the program's own files an error was thrown. */
function whereIn(error: Error, dir: string | undefined): string {
  if (!dir) return "";
  for (const line of (error.stack ?? "").split("\n")) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m && m[1].startsWith(dir + path.sep) && !m[1].includes(`${path.sep}node_modules${path.sep}`)) {
      return ` (${path.relative(dir, m[1])}:${m[2]})`;
    }
  }
  return "";
}

/** One message per problem, no stack trace. */
export function problemsOf(error: unknown, dir?: string): string[] {
  if (error instanceof LabError) return error.problems;
  if (!(error instanceof Error)) return [`the program threw ${JSON.stringify(error)}`];
  // By shape: the program's copy of the SDK may be another module instance than ours.
  const validation = error as Error & { subject?: string; problems?: FieldProblem[] };
  if (error.name === "ValidationError" && validation.subject && Array.isArray(validation.problems)) {
    return validation.problems.map((p) => `${validation.subject}: ${formatProblem(p)}`);
  }
  // ts-node's first line is only "Unable to compile TypeScript:"; its diagnostics follow.
  const diagnostics = (error as Error & { diagnosticText?: string }).diagnosticText;
  if (error.name === "TSError" && diagnostics) {
    return diagnostics.trim().split("\n").filter(Boolean).map((line) => `the program does not compile: ${line.trim()}`);
  }
  const first = error.message.split("\n")[0].trim();
  const missing = /Missing required configuration variable '([^']+)'/.exec(first);
  if (missing) {
    const key = missing[1];
    return [
      `the program requires config ${key}: set it in Pulumi.<stack>.yaml (pulumi config set ${key} ...), ` +
        `or pass it (ovslab --config ${key}=VALUE; loadLab's config option)`,
    ];
  }
  if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND")
    return [`${first}${whereIn(error, dir)}: is it installed (npm install)?`];
  return [`the program failed: ${first}${whereIn(error, dir)}`];
}

/**
 * Runs a Pulumi program under mocks (no engine, no host, no network) and returns its
 * ovslab resources: validated specs and the commands each compiles to from empty.
 * Throws a LabError listing every problem. Safe to call from many test files in one
 * process: each call runs in a Pulumi runtime context of its own and re-executes the
 * program's files; mocks a test set with `pulumi.runtime.setMocks` are left as they were.
 */
export async function loadLab(program: Program, options: LoadOptions = {}): Promise<Lab> {
  const found = projectOf(program);
  const projectName = options.project ?? found?.name ?? "project";
  const stack = options.stack ?? "dev";
  const fromFile = found ? readStackConfig(found, stack) : { config: {}, secretKeys: [] };
  const given = Object.fromEntries(
    Object.entries(options.config ?? {}).map(([k, v]) => [qualify(k, projectName), configText(v)]),
  );
  const config = { ...found?.defaults, ...OFFLINE_CONNECTION_CONFIG, ...fromFile.config, ...given };
  const secretKeys = [
    ...new Set([
      "ovslab:privateKey",
      ...fromFile.secretKeys,
      ...(options.secrets ?? []).map((k) => qualify(k, projectName)),
    ]),
  ];
  const dir = found?.dir ?? (typeof program === "string" ? path.dirname(path.resolve(program)) : undefined);
  let run;
  try {
    run = await runProgram(found?.main ?? program, {
      project: projectName,
      stack,
      config,
      secretKeys,
      answer: createdState,
    });
  } catch (error) {
    throw new LabError(problemsOf(error, dir));
  }
  if (run.errors.length) throw new LabError([...new Set(run.errors.flatMap((e) => problemsOf(e, dir)))]);
  const { resources, problems } = labResources(run.registrations);
  if (problems.length) throw new LabError(problems);
  return new Lab(projectName, stack, resources, run.outputs);
}
