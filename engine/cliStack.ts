// A stack of a Pulumi.yaml project driven through the `pulumi` command itself, with its
// stack config file kept in our state directory (`--config-file`), so running it never
// writes into the project's directory (the checkout stays clean).
import * as fs from "node:fs";
import * as path from "node:path";
import { engineEnv } from "./env";
import { ConfigEntry } from "./hostConfig";
import { PulumiRun, PulumiRunOptions, runPulumi } from "./run";
import { StateDir } from "./stateDir";
import { EngineTools, engineTools } from "./tools";

export interface CliStackOptions {
  state: StateDir;
  /** The directory holding Pulumi.yaml. */
  projectDir: string;
  stackName: string;
  tools?: EngineTools;
  /** Echo Pulumi's output to stderr as it runs. */
  echo?: boolean;
  /** Start from an empty stack: forget one left by an earlier run (its host is gone). */
  fresh?: boolean;
}

type RunOptions = Pick<PulumiRunOptions, "stdin" | "allowFailure" | "echo" | "timeoutMs">;

/** The `name:` of a Pulumi.yaml (a top-level scalar; no YAML library needed for it). */
export function projectName(projectDir: string): string {
  const text = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
  const match = /^name:\s*["']?([A-Za-z0-9_.-]+)["']?\s*$/m.exec(text);
  if (!match) throw new Error(`${path.join(projectDir, "Pulumi.yaml")}: no top-level \`name:\``);
  return match[1];
}

export class CliStack {
  readonly projectDir: string;
  readonly project: string;
  readonly stackName: string;
  /** Pulumi.<stack>.yaml (config and encryption salt), kept in the state directory. */
  readonly configFile: string;
  readonly env: Record<string, string>;
  readonly tools: EngineTools;
  private readonly stubDir: string;

  private constructor(private readonly options: CliStackOptions) {
    this.tools = options.tools ?? engineTools();
    this.projectDir = path.resolve(options.projectDir);
    this.project = projectName(this.projectDir);
    this.stackName = options.stackName;
    this.stubDir = path.join(options.state.dir, "projects", this.project);
    this.configFile = path.join(this.stubDir, `Pulumi.${this.stackName}.yaml`);
    this.env = engineEnv(options.state, this.tools);
  }

  /** Selects the stack, creating it (and its config file) when the backend lacks it. */
  static async open(options: CliStackOptions): Promise<CliStack> {
    const stack = new CliStack(options);
    await stack.ensureCreated();
    return stack;
  }

  private async ensureCreated(): Promise<void> {
    // `stack init` writes Pulumi.<stack>.yaml beside the Pulumi.yaml it runs on: run it on a
    // stub of the same project name in our state directory, not on the project itself.
    fs.mkdirSync(this.stubDir, { recursive: true });
    fs.writeFileSync(path.join(this.stubDir, "Pulumi.yaml"), `name: ${this.project}\nruntime: nodejs\n`);
    let select = await this.pulumi(["stack", "select", this.stackName], { allowFailure: true }, this.stubDir);
    if (select.code === 0 && this.options.fresh) {
      await this.pulumi(["stack", "rm", this.stackName, "--force", "--yes"], {}, this.stubDir);
      select = { ...select, code: 1 };
    }
    if (select.code !== 0) await this.pulumi(["stack", "init", this.stackName], {}, this.stubDir);
    if (!fs.existsSync(this.configFile)) fs.writeFileSync(this.configFile, "");
  }

  /** Runs `pulumi ARGS --stack S` in the project directory. */
  run(args: string[], options: RunOptions = {}): Promise<PulumiRun> {
    return this.pulumi([...args, "--stack", this.stackName], options, this.projectDir);
  }

  /** Sets config; secret values go through standard input, never the command line. */
  async setConfig(entries: Record<string, ConfigEntry>): Promise<void> {
    for (const [key, entry] of Object.entries(entries)) {
      const args = [
        "config",
        "set",
        key,
        ...(entry.secret ? ["--secret"] : [entry.value]),
        "--config-file",
        this.configFile,
      ];
      await this.run(args, entry.secret ? { stdin: entry.value } : {});
    }
  }

  /** The arguments every operation needs besides its verb. */
  private opArgs(extra: string[]): string[] {
    return ["--config-file", this.configFile, "--non-interactive", "--color", "never", ...extra];
  }

  up(extra: string[] = [], options: RunOptions = {}): Promise<PulumiRun> {
    return this.run(["up", "--yes", "--skip-preview", ...this.opArgs(extra)], options);
  }
  preview(extra: string[] = [], options: RunOptions = {}): Promise<PulumiRun> {
    return this.run(["preview", ...this.opArgs(extra)], options);
  }
  refresh(extra: string[] = [], options: RunOptions = {}): Promise<PulumiRun> {
    return this.run(["refresh", "--yes", "--skip-preview", ...this.opArgs(extra)], options);
  }
  destroy(extra: string[] = [], options: RunOptions = {}): Promise<PulumiRun> {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.opArgs(extra)], options);
  }

  /** Stack outputs, secrets left as "[secret]". */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.run(["stack", "output", "--json"], { echo: false })).stdout);
  }

  /** The stack's state (checkpoint) as `pulumi stack export` prints it. */
  async exportState(): Promise<any> {
    return JSON.parse((await this.run(["stack", "export"], { echo: false })).stdout);
  }

  /** Removes the (empty) stack from the backend and its config file. */
  async remove(): Promise<void> {
    await this.pulumi(["stack", "rm", this.stackName, "--yes"], {}, this.stubDir);
    fs.rmSync(this.configFile, { force: true });
  }

  private pulumi(args: string[], options: RunOptions, cwd: string): Promise<PulumiRun> {
    return runPulumi(this.tools.pulumiBin, args, { echo: this.options.echo, ...options, cwd, env: this.env });
  }
}
