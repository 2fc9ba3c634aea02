// Helpers the engine tests share: a scratch state directory, the host seen with the
// host's own tools (not our parsers), and which logged commands wrote something.
import { writesIn } from "../support/commands";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { LabHost } from "../../lab";
import { openStateDir, StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";

/** A fresh state directory inside the checkout's .ovslab/ (the plugins resolve node_modules from it). */
export function scratchState(label: string): StateDir {
  return openStateDir(path.join(repoRoot(), ".ovslab", "tmp", `${label}-${randomBytes(3).toString("hex")}`));
}

export function removeState(state: StateDir | undefined): void {
  if (state) fs.rmSync(state.dir, { recursive: true, force: true });
}

/**
 * After a describe: best effort destroy (a failed step must not leave a lab behind), then stop the host and drop the
 * state.
 */
export async function tearDown(
  stack: { destroy(): Promise<unknown> } | undefined,
  lab: LabHost | undefined,
  state: StateDir | undefined,
): Promise<void> {
  try {
    await stack?.destroy().catch(() => undefined);
  } finally {
    await lab?.stop();
    removeState(state);
  }
}

export interface HostSnapshot {
  show: string;
  flows: Record<string, string>;
  netns: string;
}

/** What a person would look at: `ovs-vsctl show`, every bridge's flows, `ip netns list`. */
export async function snapshot(lab: LabHost): Promise<HostSnapshot> {
  const bridges = (await lab.sh(["ovs-vsctl", "list-br"])).split("\n").filter(Boolean);
  const flows: Record<string, string> = {};
  for (const br of bridges) flows[br] = await lab.sh(["ovs-ofctl", "--no-stats", "--no-names", "dump-flows", br]);
  return { show: await lab.sh(["ovs-vsctl", "show"]), flows, netns: await lab.sh(["ip", "netns", "list"]) };
}

export async function writesSince(lab: LabHost): Promise<string[][]> {
  return writesIn(await lab.commandLog());
}
