// A stack of an inline program through the Automation API (the SDK serves the program
// in-process, no language host involved), with our CLI, backend, home and passphrase.
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { engineEnv } from "./env";
import { ConfigEntry } from "./hostConfig";
import { runPulumi } from "./run";
import { StateDir } from "./stateDir";
import { EngineTools, engineTools } from "./tools";

export interface InlineStackOptions {
  state: StateDir;
  projectName: string;
  stackName: string;
  program: PulumiFn;
  config?: Record<string, ConfigEntry>;
  tools?: EngineTools;
}

/** The CLI for the Automation API, which wants the directory that holds `bin/pulumi`. */
export async function pulumiCommand(tools: EngineTools): Promise<PulumiCommand> {
  if (path.basename(tools.pulumiBin) !== "bin") {
    throw new Error(`ovslab: the Automation API needs pulumi in a directory named bin, found ${tools.pulumiBin}`);
  }
  return PulumiCommand.get({ root: path.dirname(tools.pulumiBin) });
}

export async function inlineStack(options: InlineStackOptions): Promise<Stack> {
  const tools = options.tools ?? engineTools();
  const env = engineEnv(options.state, tools);
  // The workspace directory holds Pulumi.yaml and the stack's config; inside our state
  // directory (not a temp dir) so nothing is left in /tmp and the plugins' working
  // directory resolves the repository's node_modules.
  const workDir = path.join(options.state.dir, "inline", options.projectName);
  fs.mkdirSync(workDir, { recursive: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: options.projectName, stackName: options.stackName, program: options.program },
    {
      workDir,
      envVars: env,
      pulumiCommand: await pulumiCommand(tools),
      projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: options.state.backendUrl } },
    },
  );
  // Config through the CLI's standard input: the Automation API would put secret values
  // on a command line, where any local user can read them.
  for (const [key, entry] of Object.entries(options.config ?? {})) {
    const args = ["config", "set", key, ...(entry.secret ? ["--secret"] : [entry.value]), "--stack", options.stackName];
    await runPulumi(tools.pulumiBin, args, { cwd: workDir, env, stdin: entry.secret ? entry.value : undefined });
  }
  return stack;
}
