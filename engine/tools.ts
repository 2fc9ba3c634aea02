// Where the engine's tools are: the Pulumi CLI and Node 22, as scripts/setup.sh found or
// built them and recorded in .ovslab/env. Read, never guessed: a missing file means the
// set-up has not run, and the fix is one command.
import * as fs from "node:fs";
import * as path from "node:path";

export interface EngineTools {
  /** The repository (the directory holding ovslab's package.json). */
  repo: string;
  /** Directory of the `pulumi` binary; the engine's bundled plugins sit beside it. */
  pulumiBin: string;
  /** The Node >= 22 binary that setup.sh checked. */
  node: string;
  /** Directories to put first on PATH: Node 22 (node_modules/.bin), then the CLI's. */
  pathPrefix: string[];
}

/** The ovslab checkout this code runs from (works from engine/ and from dist/engine/). */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "ovslab") return dir;
    if (path.dirname(dir) === dir) throw new Error(`ovslab: no ovslab package.json above ${from}`);
  }
}

/** Parses `KEY=VALUE` lines (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]] = match[2];
  }
  return vars;
}

export function engineTools(repo: string = repoRoot()): EngineTools {
  const file = path.join(repo, ".ovslab", "env");
  if (!fs.existsSync(file))
    throw new Error(`ovslab: ${file} is missing: run \`npm run setup\` (scripts/setup.sh) first`);
  const vars = parseEnvFile(fs.readFileSync(file, "utf8"));
  const pulumiBin = vars.OVSLAB_PULUMI_BIN;
  if (!pulumiBin || !fs.existsSync(path.join(pulumiBin, "pulumi"))) {
    throw new Error(`ovslab: no pulumi binary in "${pulumiBin ?? ""}" (from ${file}): run \`npm run setup\` again`);
  }
  const node = path.join(vars.OVSLAB_NODE_BIN ?? path.join(repo, "node_modules", ".bin"), "node");
  return { repo, pulumiBin, node, pathPrefix: (vars.OVSLAB_PATH_PREFIX ?? "").split(":").filter(Boolean) };
}
