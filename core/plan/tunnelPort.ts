// Desired tunnel port vs the host -> one ovs-vsctl transaction, and the port as the host has
// it. The port is planned like any Bridge port (planPort) and owned by its external_ids
// mark, so the Bridge resource that owns the bridge ignores it.
import { Op } from "../shell";
import { OWNER_KEY } from "../schema/common";
import { PortSpec } from "../schema/bridge";
import { TunnelPortSpec, tunnelOptions, tunnelPortSpec } from "../schema/tunnelPort";
import { interfaceProblem, LiveBridges, LivePort } from "../live/bridge";
import { delPort, transaction } from "../compile/vsctl";
import { planPort } from "./bridge";
import { MissingBridgeError, OwnershipConflict } from "./errors";
import { markNote, ownsRow } from "./adopt";

const asPort = (spec: TunnelPortSpec): PortSpec => ({
  name: spec.name,
  type: spec.type,
  options: tunnelOptions(spec),
  externalIds: {},
});
const describe = (spec: TunnelPortSpec) => `${spec.type} port ${spec.name} on ${spec.bridge} to ${spec.remoteIp}`;

/** Our port on the bridge, if it is there. */
function ownedPort(live: LiveBridges, spec: TunnelPortSpec, owner: string): LivePort | undefined {
  const bridge = live.bridges.find((b) => b.name === spec.bridge);
  return bridge?.ports.find((p) => p.name === spec.name && p.externalIds[OWNER_KEY] === owner);
}

/**
 * Creates or repairs the port: type and the options it declares (remote_ip, local_ip, key,
 * dst_port); keys `previous` declared and `desired` no longer does are removed. A port of
 * the same name that is not ours is refused. A rename deletes our old port in the same
 * transaction.
 */
export function planTunnelPort(
  desired: TunnelPortSpec,
  live: LiveBridges,
  owner: string,
  previous?: TunnelPortSpec,
): Op[] {
  const bridge = live.bridges.find((b) => b.name === desired.bridge);
  if (!bridge) {
    throw new MissingBridgeError(
      `bridge ${desired.bridge} does not exist on the host; create it first (e.g. a Bridge resource, passing its name output as this port's bridge so the port waits for it)`,
    );
  }
  const existing = bridge.ports.find((p) => p.name === desired.name);
  if (existing && !ownsRow(existing.externalIds, owner, desired.adopt)) {
    throw new OwnershipConflict(
      `port ${desired.name} already exists on bridge ${desired.bridge} and is not owned by ${owner} ` +
        `(${markNote(existing.externalIds)}); remove it or pick another name`,
    );
  }
  const stale = bridge.ports.filter((p) => p.externalIds[OWNER_KEY] === owner && p.name !== desired.name);
  const cmds = [
    ...stale.map((p) => delPort(desired.bridge, p.name, { ifExists: true })),
    ...planPort(desired.bridge, asPort(desired), existing, owner, previous && asPort(previous)),
  ];
  const op = transaction(cmds, `${existing ? "converge" : "create"} ${describe(desired)}`);
  return op ? [op] : [];
}

/** Deleting: our ports on the bridge (the declared one, or one left by a rename), nothing else. */
export function planTunnelPortDelete(spec: TunnelPortSpec, live: LiveBridges, owner: string): Op[] {
  const bridge = live.bridges.find((b) => b.name === spec.bridge);
  const ours = (bridge?.ports ?? []).filter((p) => p.externalIds[OWNER_KEY] === owner);
  const op = transaction(ours.map((p) => delPort(spec.bridge, p.name, { ifExists: true })), `delete ${describe(spec)}`);
  return op ? [op] : [];
}

/** The port as the host has it, in the spec's words; undefined when our port is gone. */
export function observeTunnelPort(
  live: LiveBridges,
  reference: TunnelPortSpec,
  owner: string,
): TunnelPortSpec | undefined {
  const port = ownedPort(live, reference, owner);
  if (!port) return undefined;
  const o = port.options;
  const key = o.key === undefined ? 0 : o.key === "flow" ? "flow" : Number(o.key);
  const observed = {
    bridge: reference.bridge,
    name: port.name,
    type: port.type,
    remoteIp: o.remote_ip ?? "",
    ...(o.local_ip !== undefined ? { localIp: o.local_ip } : {}),
    key,
    ...(o.dst_port !== undefined ? { dstPort: Number(o.dst_port) } : {}),
  };
  // What cannot be said in the spec's words (a port turned into another type, no remote_ip)
  // shows as declared; `diff` reads the host and plans the repair anyway.
  return tunnelPortSpec.safeParse(observed).success ? (observed as TunnelPortSpec) : reference;
}

/** Problems OVS reports on the port after an apply (e.g. a tunnel type this OVS lacks). */
export function tunnelPortProblems(desired: TunnelPortSpec, live: LiveBridges): string[] {
  const port = live.bridges.find((b) => b.name === desired.bridge)?.ports.find((p) => p.name === desired.name);
  const problem = port && interfaceProblem(port);
  return problem ? [`port ${desired.name} on ${desired.bridge}: ${problem}`] : [];
}
