// The environment every engine run gets: our tools first on PATH, our backend, home and
// passphrase, no update check (the CLI would try the network).
import * as path from "node:path";
import { quote } from "../core/shell";
import { StateDir } from "./stateDir";
import { EngineTools } from "./tools";

export function engineEnv(
  state: StateDir,
  tools: EngineTools,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    PATH: [...tools.pathPrefix, base.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"].join(path.delimiter),
    PULUMI_HOME: state.pulumiHome,
    PULUMI_BACKEND_URL: state.backendUrl,
    PULUMI_CONFIG_PASSPHRASE_FILE: state.passphraseFile,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // The engine's plugins (scripts/engine-bin) run this Node without probing for one.
    OVSLAB_NODE: tools.node,
    // Node 22's on-disk compile cache: the language host and the dynamic-provider plugin
    // each load @pulumi/pulumi afresh every run (~0.5 s); cached, ~0.2 s less each.
    NODE_COMPILE_CACHE: path.join(tools.repo, ".ovslab", "node-compile-cache"),
    // No prompts, no colours in captured output.
    PULUMI_NON_INTERACTIVE: "true",
    NO_COLOR: "1",
  };
}

/**
 * Shell lines that give a terminal the same engine: for people who take over a kept lab.
 * PATH is prepended to, not replaced.
 */
export function shellSetup(state: StateDir, tools: EngineTools): string[] {
  const env = engineEnv(state, tools, { PATH: "" });
  const lines = Object.entries(env)
    .filter(([k]) => !["PATH", "NO_COLOR", "PULUMI_NON_INTERACTIVE", "OVSLAB_NODE"].includes(k))
    .map(([k, v]) => `export ${k}=${quote(v)}`);
  return [`export PATH=${tools.pathPrefix.map(quote).join(":")}:"$PATH"`, ...lines];
}
