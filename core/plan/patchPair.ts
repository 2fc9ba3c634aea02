// Desired patch pair vs the host -> ONE ovs-vsctl transaction creating or repairing both
// ends, and the pair as the host has it. Each end is a port like any Bridge port, planned
// by the same planPort; ownership is the port's external_ids mark, so the Bridge resources
// owning the two bridges ignore these ports and this resource never touches bridge columns.
import { Op } from "../shell";
import { OWNER_KEY } from "../schema/common";
import { PortSpec } from "../schema/bridge";
import { PatchEndSpec, PatchPairSpec, patchPairSpec } from "../schema/patchPair";
import { interfaceProblem, LiveBridges, LivePort } from "../live/bridge";
import { delPort, transaction, VsctlCommand } from "../compile/vsctl";
import { planPort } from "./bridge";
import { MissingBridgeError, OwnershipConflict } from "./errors";
import { markNote, ownsRow } from "./adopt";
import { sameList } from "./maps";

/** Ports marked as this resource's, wherever they are. */
function ownedPorts(live: LiveBridges, owner: string): Array<{ bridge: string; port: LivePort }> {
  return live.bridges.flatMap((b) =>
    b.ports.filter((p) => p.externalIds[OWNER_KEY] === owner).map((port) => ({ bridge: b.name, port })),
  );
}

/** An end as a Bridge port spec: a patch port whose peer is the other end. */
function portSpec(end: PatchEndSpec, other: PatchEndSpec): PortSpec {
  return {
    name: end.port, type: "patch", options: { peer: other.port }, externalIds: {},
    ...(end.tag !== undefined ? { tag: end.tag } : {}),
    ...(end.trunks !== undefined ? { trunks: end.trunks } : {}),
  };
}

const describe = (p: PatchPairSpec) => `patch pair ${p.a.bridge}:${p.a.port} <-> ${p.b.bridge}:${p.b.port}`;

/**
 * The one transaction that makes both ends exist as declared (type patch, peer = the other
 * end, tag/trunks, vlan_mode cleared), or none when they already are. Our ports that are no
 * longer an end (renamed, moved to another bridge) are deleted in the same transaction.
 */
export function planPatchPair(desired: PatchPairSpec, live: LiveBridges, owner: string): Op[] {
  const ends: Array<[PatchEndSpec, PatchEndSpec]> = [[desired.a, desired.b], [desired.b, desired.a]];
  const cmds: Array<VsctlCommand | undefined> = [];
  const owned = ownedPorts(live, owner);
  for (const { bridge, port } of owned) {
    if (!ends.some(([end]) => end.port === port.name && end.bridge === bridge))
      cmds.push(delPort(bridge, port.name, { ifExists: true }));
  }
  for (const [end, other] of ends) {
    const bridge = live.bridges.find((b) => b.name === end.bridge);
    if (!bridge) {
      throw new MissingBridgeError(
        `bridge ${end.bridge} does not exist on the host; create it first (e.g. a Bridge resource, passing its name output as this end's bridge so the pair waits for it)`,
      );
    }
    const where = live.portBridge.get(end.port);
    const ours = owned.find((o) => o.port.name === end.port);
    const found = live.bridges.find((b) => b.name === where)?.ports.find((p) => p.name === end.port);
    // An unmarked port already where the end belongs is taken over when adopting.
    const adoptable = where === end.bridge && found && ownsRow(found.externalIds, owner, desired.adopt);
    const adopted = adoptable ? found : undefined;
    if (where !== undefined && !ours && !adopted) {
      throw new OwnershipConflict(
        `port ${end.port} already exists on bridge ${where} and is not owned by ${owner} ` +
          `(${found ? markNote(found.externalIds) : "unknown"}); remove it or pick another name`,
      );
    }
    const here = ours?.bridge === end.bridge ? ours.port : adopted; // one elsewhere was deleted above
    cmds.push(...planPort(end.bridge, portSpec(end, other), here, owner));
  }
  const op = transaction(cmds, `${owned.length ? "converge" : "create"} ${describe(desired)}`);
  return op ? [op] : [];
}

/** Deleting the pair: every port marked as ours, wherever it is, and nothing else. */
export function planPatchPairDelete(spec: PatchPairSpec, live: LiveBridges, owner: string): Op[] {
  const cmds = ownedPorts(live, owner).map(({ bridge, port }) => delPort(bridge, port.name, { ifExists: true }));
  const op = transaction(cmds, `delete ${describe(spec)}`);
  return op ? [op] : [];
}

/**
 * The pair as the host has it: each end's bridge, tag and trunks. Undefined when neither
 * end is there any more. An end that is missing or is no longer a patch to its peer cannot
 * be said in the spec's words and shows as declared; `diff` reads the host and sees it.
 */
export function observePatchPair(
  live: LiveBridges,
  reference: PatchPairSpec,
  owner: string,
): PatchPairSpec | undefined {
  const owned = ownedPorts(live, owner);
  if (owned.length === 0) return undefined;
  const end = (ref: PatchPairSpec["a"]): PatchPairSpec["a"] => {
    const found = owned.find((o) => o.port.name === ref.port);
    if (!found) return ref;
    const peer = found.port.type === "patch" ? found.port.options.peer : undefined;
    const trunks = [...found.port.trunks].sort((x, y) => x - y);
    const declared = [...(ref.trunks ?? [])].sort((x, y) => x - y);
    return {
      bridge: found.bridge,
      port: ref.port,
      ...(found.port.tag !== undefined ? { tag: found.port.tag } : {}),
      // The declared order when the set is the same, so state and program agree.
      ...(trunks.length ? { trunks: sameList(trunks, declared) ? ref.trunks : trunks } : {}),
      // The peer as the host has it; `<none>` when the port is no patch port or names none.
      peer: peer ?? "<none>",
    };
  };
  const observed = { a: end(reference.a), b: end(reference.b) };
  // Bridges and ports the spec cannot say (both ends on one bridge) show as declared; the
  // peer is checked apart, since one changed by hand must show.
  const shape = (e: PatchEndSpec) => ({ ...e, peer: undefined });
  return patchPairSpec.safeParse({ a: shape(observed.a), b: shape(observed.b) }).success ? observed : reference;
}

/** Problems OVS reports on our ends after an apply (e.g. "No usable peer" across datapath types). */
export function patchPairProblems(desired: PatchPairSpec, live: LiveBridges): string[] {
  const ends = [desired.a, desired.b];
  return live.bridges
    .flatMap((b) =>
      b.ports
        .filter((p) => ends.some((e) => e.bridge === b.name && e.port === p.name))
        .map((port) => ({ bridge: b.name, port })),
    )
    .filter(({ port }) => interfaceProblem(port))
    .map(({ bridge, port }) => `port ${port.name} on ${bridge}: ${interfaceProblem(port)}`);
}
