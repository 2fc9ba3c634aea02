// Helpers the engine tests share: a scratch state directory, the host seen with the
// host's own tools (not our parsers), and which logged commands wrote something.
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

// ovs-vsctl commands that only read (ovs-vsctl(8), "Database Commands" and "Bridge Commands").
const VSCTL_READS = new Set(["show", "list-br", "br-exists", "br-to-vlan", "br-to-parent", "list-ports", "list-ifaces", "port-to-br", "iface-to-br", "get-fail-mode", "get-controller", "list", "find", "get", "wait-until"]);

/** Whether a logged command could change the host. Unknown commands count as writes. */
export function isWrite(argv: string[]): boolean {
  const [tool, ...args] = argv;
  const name = path.basename(tool);
  const words = args.filter((a) => !a.startsWith("-"));
  if (name === "ovs-vsctl") {
    // Subcommands are separated by `--`; each starts with its verb after any options.
    const groups: string[][] = [[]];
    for (const a of args) a === "--" ? groups.push([]) : groups[groups.length - 1].push(a);
    return groups.some((g) => {
      const verb = g.find((a) => !a.startsWith("-"));
      return verb !== undefined && !VSCTL_READS.has(verb);
    });
  }
  if (name === "ovs-ofctl") return !(words[0] === "show" || words[0]?.startsWith("dump-") || words[0] === "diff-flows");
  if (name === "ip") return !words.some((w) => ["show", "list", "ls"].includes(w)) || words.some((w) => ["add", "del", "delete", "set", "replace", "flush", "exec"].includes(w));
  if (name === "iptables-save" || name === "cat" || name === "true") return false;
  return true;
}

export async function writesSince(lab: LabHost): Promise<string[][]> {
  return (await lab.commandLog()).filter(isWrite);
}
