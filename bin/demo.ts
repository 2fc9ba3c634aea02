// `npm start`: the seed lab brought up for real. Starts a throwaway lab host, points the
// example stack at it (file:// backend and a kept passphrase in .ovslab/demo), runs a real
// `pulumi up` on the project, shows the lab over SSH, prints what was built, then tears it
// all down (`pulumi destroy`, host stopped). `--keep` leaves it running until Ctrl-C and
// prints how to log in and drive it by hand.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { startLabHost, LabHost } from "../lab";
import { MultiHostLab, startLabHosts } from "../lab/multihost";
import { configureMultinode, MULTINODE_EXAMPLE, multinodeHostNames, runMultinodePings } from "../engine/multinode";
import { StateDir } from "../engine/stateDir";
import { broken, formatPingResults, PingResult, PingRow, runPingMatrix } from "../lab/ping";
import { CliStack } from "../engine/cliStack";
import { shellSetup } from "../engine/env";
import { hostConfig } from "../engine/hostConfig";
import { openStateDir } from "../engine/stateDir";
import { engineTools } from "../engine/tools";
import { formatArgv } from "../core/shell";

const USAGE = `usage: npm start [-- [multinode] [--keep]]
  Brings the seed lab (examples/openstack-aio) up with the real Pulumi engine on a
  throwaway lab host, shows it, and tears it down.
  multinode  the same for examples/openstack-multinode on three lab hosts (a network node,
             two computes) joined by a private underlay, with VXLAN tunnels between them
  --keep   keep the lab running until Ctrl-C, and print how to ssh in, preview and destroy`;

function heading(text: string): void {
  console.log(`\n== ${text}`);
}

/** Runs a command over real SSH with the system client, as a person would. */
function overSsh(lab: LabHost, ...command: string[]): string {
  const argv = lab.sshCommand(...command);
  const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0)
    throw new Error(`${formatArgv(command)} over ssh failed (exit ${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * Resolves on the first Ctrl-C or SIGTERM. Installed at start so that a Ctrl-C during
 * `up` (which Pulumi, in the same process group, also gets and cancels) ends in the
 * orderly teardown instead of killing this process.
 */
function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => resolve(signal);
    process.once("SIGINT", on("SIGINT"));
    process.once("SIGTERM", on("SIGTERM"));
  });
}

/** Waits for `signal`; the lab's processes are unref'd, so hold the event loop open meanwhile. */
async function holdUntil(signal: Promise<string>): Promise<string> {
  const timer = setInterval(() => undefined, 60_000);
  try {
    return await signal;
  } finally {
    clearInterval(timer);
  }
}

function printTakeOver(
  labs: Record<string, LabHost>,
  stack: CliStack,
  repo: string,
  setup: string[],
  cwd = repo,
): void {
  const rel = (p: string) => path.relative(cwd, p) || ".";
  const stackArgs = ["--stack", stack.stackName, "--config-file", rel(stack.configFile)];
  heading("the lab stays up until Ctrl-C here; from another terminal, in " + cwd + ":");
  for (const [name, lab] of Object.entries(labs)) {
    console.log(`  # log in to ${name} (root, pinned host key):\n  ${formatArgv(lab.sshCommand())}`);
  }
  console.log("  # the engine this demo uses:");
  for (const line of setup) console.log(`  ${line}`);
  console.log(`  pulumi preview --diff ${formatArgv(stackArgs)}`);
  console.log(`  pulumi refresh ${formatArgv(stackArgs)}`);
  console.log(`  pulumi destroy ${formatArgv(stackArgs)}`);
}

function reportPings(results: PingResult[]): void {
  console.log(formatPingResults(results));
  const failed = broken(results);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} ping checks broke the example's promise`);
  console.log(`all ${results.length} ping checks hold`);
}

/** Destroys and removes the stack (if it was opened), then stops the lab, whatever happens. */
async function tearDown(stack: CliStack | undefined, lab: string, stop: () => Promise<void>): Promise<void> {
  try {
    if (stack) {
      heading("pulumi destroy");
      await stack.destroy();
      await stack.remove();
    }
  } finally {
    heading(`stopping ${lab}`);
    await stop();
    console.log("done: no namespace, daemon or temp dir of the lab is left.");
  }
}

/** `npm start -- multinode`: the multinode example on three lab hosts, same steps as the seed lab. */
async function multinode(keep: boolean, state: StateDir, signal: Promise<string>): Promise<void> {
  const tools = engineTools();
  const names = multinodeHostNames(2);
  heading(`starting ${names.length} throwaway lab hosts (${names.join(", ")}) and their private underlay`);
  const lab: MultiHostLab = await startLabHosts({ names });
  let stack: CliStack | undefined;
  try {
    for (const name of names) {
      const { host, port, user } = lab.hosts[name].connection;
      console.log(
        `${name}: ssh ${user}@${host}:${port}, underlay ${lab.address(name)}, host key ${lab.hosts[name].hostKeyFingerprint}`,
      );
    }
    heading("pulumi up (examples/openstack-multinode: one stack over all hosts)");
    stack = await CliStack.open({
      state,
      projectDir: MULTINODE_EXAMPLE,
      stackName: "multinode",
      echo: true,
      fresh: true,
    });
    await configureMultinode(stack, lab);
    await stack.up();

    for (const name of names) {
      heading(`${name}, seen over ssh: ovs-vsctl show`);
      console.log(overSsh(lab.hosts[name], "ovs-vsctl", "show").trimEnd());
    }

    heading("does it work? the example's ping matrix, across the VXLAN tunnels");
    const results = await runMultinodePings(stack, lab);
    reportPings(results);

    if (keep) {
      printTakeOver(lab.hosts, stack, tools.repo, shellSetup(state, tools), MULTINODE_EXAMPLE);
      console.log(`\n(${await holdUntil(signal)} received: tearing down)`);
    }
  } finally {
    await tearDown(stack, "the lab hosts and the underlay", () => lab.stop());
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) return void console.log(USAGE);
  const unknown = argv.filter((a) => a !== "--keep" && a !== "multinode");
  if (unknown.length) throw new Error(`unknown option ${unknown[0]}\n${USAGE}`);
  const keep = argv.includes("--keep");
  const tools = engineTools();
  if (argv.includes("multinode")) {
    return multinode(keep, openStateDir(path.join(tools.repo, ".ovslab", "demo-multinode")), interrupted());
  }
  const state = openStateDir(path.join(tools.repo, ".ovslab", "demo"));
  const signal = interrupted();

  heading("starting a throwaway lab host (own network namespace, private OVS, sshd on loopback)");
  const lab = await startLabHost({ name: "ovslab-demo" });
  let stack: CliStack | undefined;
  try {
    const { host, port, user } = lab.connection;
    console.log(`lab host ${lab.name}: ssh ${user}@${host}:${port}, host key ${lab.hostKeyFingerprint}`);

    heading("pulumi up (the project in the repository root: main examples/openstack-aio/)");
    stack = await CliStack.open({ state, projectDir: tools.repo, stackName: "demo", echo: true, fresh: true });
    await stack.setConfig(hostConfig(lab.connection));
    await stack.up();

    heading("the lab host, seen over ssh: ovs-vsctl show");
    console.log(overSsh(lab, "ovs-vsctl", "show").trimEnd());

    heading("what was built (stack outputs)");
    const { pingMatrix, ...outputs } = await stack.outputs();
    console.log(JSON.stringify(outputs, null, 2));

    heading("does it work? the example's ping matrix, inside the lab host's namespaces");
    // Over real ssh with the system client, as a person would check it.
    const results = await runPingMatrix(pingMatrix as PingRow[], async (command) => {
      const argv = lab.sshCommand(...command);
      return spawnSync(argv[0], argv.slice(1), { stdio: "ignore" }).status ?? 1;
    });
    reportPings(results);

    if (keep) {
      printTakeOver({ "the lab host": lab }, stack, tools.repo, shellSetup(state, tools));
      console.log(`\n(${await holdUntil(signal)} received: tearing down)`);
    }
  } finally {
    await tearDown(stack, "the lab host", () => lab.stop());
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`\ndemo failed: ${error.message}`);
    process.exit(1);
  },
);
