// examples/openstack-multinode against a MultiHostLab (lab/multihost.ts): the host names the
// example expects, the stack config that points it at the lab hosts, and its ping matrix run
// with real packets on the hosts. Shared by the multinode test, `npm start -- multinode` and
// bench:multihost, so each drives the same program the same way.
import * as path from "node:path";
import type { MultiHostLab } from "../lab/multihost";
import { HostPingRow, PingResult, runHostPingMatrix } from "../lab/ping";
import type { CliStack } from "./cliStack";
import { namedHostConfig } from "./hostConfig";
import { repoRoot } from "./tools";

export const MULTINODE_EXAMPLE = path.join(repoRoot(), "examples", "openstack-multinode");

/** The example's hosts for `computes` compute nodes: `network`, `compute-1`, ... */
export function multinodeHostNames(computes: number): string[] {
  return ["network", ...Array.from({ length: computes }, (_, i) => `compute-${i + 1}`)];
}

/** Points the stack at every lab host (connection and underlay address) and sets `computes`. */
export async function configureMultinode(stack: CliStack, lab: MultiHostLab): Promise<void> {
  const names = Object.keys(lab.hosts);
  for (const name of names) await stack.setConfig(namedHostConfig(name, lab.hosts[name].connection, lab.address(name)));
  await stack.setConfig({ "openstack-multinode:computes": { value: String(names.length - 1) } });
}

/** Runs the stack's `pingMatrix` output, each row inside its host's namespaces. */
export async function runMultinodePings(stack: CliStack, lab: MultiHostLab): Promise<PingResult[]> {
  const rows = (await stack.outputs()).pingMatrix as HostPingRow[];
  return runHostPingMatrix(rows, async (on, argv) => (await lab.hosts[on].exec(argv)).code);
}
