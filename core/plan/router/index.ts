// Desired router vs the host's -> the ordered ops that converge it, none when they agree:
// OVS ports (one transaction), the namespace, moves into it, sysctls, links, addresses and
// routes (one `ip -batch`), NAT (one `iptables-restore`).
import { Op } from "../../shell";
import { OWNER_KEY } from "../../schema/common";
import { PortSpec } from "../../schema/bridge";
import { RouterInterfaceSpec, RouterNamespaceSpec } from "../../schema/router";
import { LivePort } from "../../live/bridge";
import { LiveNamespace, LiveRouter } from "../../live/router";
import { LiveLink } from "../../live/ip";
import { delPort, transaction, VsctlCommand } from "../../compile/vsctl";
import {
  devicesIn,
  ipBatch,
  linkDel,
  linkSetNetns,
  markBatchLine,
  markNamespace,
  namespaceExists,
  namespaceMark,
  netnsAddLine,
  sysctlWrite,
} from "../../compile/ip";
import { planPort } from "../bridge";
import { MissingBridgeError, OwnershipConflict } from "../errors";
import { markNote, ownsRow } from "../adopt";
import { planLinks, planVlanDevices } from "./links";
import { planNat } from "./nat";

/** A port on some bridge, with the bridge's name. */
export interface PlacedPort extends LivePort {
  bridge: string;
}

/** Every port on the host, by name (OVSDB lists bridges in no stable order). */
export function allPorts(live: LiveRouter): PlacedPort[] {
  return live.ovs.bridges
    .flatMap((b) => b.ports.map((p) => ({ ...p, bridge: b.name })))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The ports carrying this resource's owner mark: their devices in the namespace are ours. */
export function ownPorts(live: LiveRouter, owner: string): PlacedPort[] {
  return allPorts(live).filter((p) => p.externalIds[OWNER_KEY] === owner);
}

/** Whether a namespace's link is ours to hold: `lo`, one of `ourDevices`, or a VLAN device on one. */
export function isOurLink(link: LiveLink, ourDevices: ReadonlySet<string>): boolean {
  return link.name === "lo" || ourDevices.has(link.name) || (link.vlan !== undefined && ourDevices.has(link.vlan.parent));
}

/** The OVS side of a router interface: an internal port, optionally tagged or a trunk. */
export function portSpecOf(iface: RouterInterfaceSpec): PortSpec {
  return {
    name: iface.name,
    type: "internal",
    ...(iface.tag !== undefined ? { tag: iface.tag } : {}),
    ...(iface.trunks?.length ? { trunks: iface.trunks } : {}),
    options: {},
    externalIds: {},
  };
}

type Ownership = "absent" | "ours" | "bare";

/**
 * Whose namespace this is: ours when `lo` carries our mark; "bare" when unmarked and holding
 * nothing but `ourDevices` (an apply cut before the mark, which comes with the links batch,
 * after the moves, VLAN devices and sysctls), which is safe to take, or unmarked and `adopt`ed
 * (built by hand): then it is planned like ours, mark first.
 */
export function namespaceOwnership(
  ns: LiveNamespace | undefined,
  owner: string,
  adopt?: boolean,
  ourDevices: ReadonlySet<string> = new Set(),
): Ownership {
  if (!ns) return "absent";
  const alias = ns.links.find((l) => l.name === "lo")?.alias;
  if (alias === namespaceMark(owner)) return "ours";
  const bare =
    alias === undefined &&
    ns.links.every((l) => isOurLink(l, ourDevices)) &&
    ns.routes.length === 0 &&
    ns.nat.rules.length === 0;
  if (bare || (adopt === true && alias === undefined)) return "bare";
  throw new OwnershipConflict(
    `namespace ${ns.name} already exists on the host and is not owned by ${owner} ` +
      `(its lo alias, ovslab's mark, is ${alias === undefined ? "<unset>" : JSON.stringify(alias)}); ` +
      "remove it or pick another name" +
      (alias === undefined ? ", or declare it with adopt: true to take it over" : ""),
  );
}

/** This router's declared interfaces whose OVS port carries our mark. */
export function ownDevices(spec: RouterNamespaceSpec, live: LiveRouter, owner: string): Set<string> {
  const named = new Set(spec.interfaces.map((i) => i.name));
  return new Set(ownPorts(live, owner).filter((p) => named.has(p.name)).map((p) => p.name));
}

interface PortPlan {
  /**
   * `del-port` of our ports whose device is lost (see deviceLost), in a transaction of its
   * own: OVS matches ports by name, so only a later transaction's `add-port` makes a new device.
   */
  removeFirst: VsctlCommand[];
  /** Their names: a dead copy of one left in the namespace is ours to delete (OVS no longer knows it). */
  lost: Set<string>;
  commands: Array<VsctlCommand | undefined>;
  /** Interfaces whose device OVS (re)creates in this plan: they appear in the host's namespace. */
  recreated: Set<string>;
  /** Devices that vanish in this plan (deleted or recreated ports), and their routes with them. */
  vanishing: Set<string>;
}

/**
 * OVS lists the port, but its device is gone: neither in the namespace nor in the host's
 * own (the namespace was deleted by hand, which destroys the devices in it), or only a dead
 * copy is left (up without carrier: the OVS that made it is gone). Only known when the
 * host's links were read.
 */
export function deviceLost(name: string, live: LiveRouter): boolean {
  if (live.hostLinks === undefined || live.hostLinks.includes(name)) return false;
  const link = live.namespace?.links.find((l) => l.name === name);
  return !link || link.noCarrier === true;
}

function planPorts(
  spec: RouterNamespaceSpec,
  live: LiveRouter,
  owner: string,
  previous?: RouterNamespaceSpec,
): PortPlan {
  const ports = allPorts(live);
  const removeFirst: VsctlCommand[] = [];
  const lost = new Set<string>();
  const commands: Array<VsctlCommand | undefined> = [];
  const recreated = new Set<string>();
  const deleted = new Set<string>();
  const wanted = new Set(spec.interfaces.map((i) => i.name));
  for (const p of ports) {
    if (p.externalIds[OWNER_KEY] !== owner || wanted.has(p.name)) continue;
    commands.push(delPort(p.bridge, p.name, { ifExists: true }));
    deleted.add(p.name);
  }
  for (const iface of spec.interfaces) {
    if (!live.ovs.bridges.some((b) => b.name === iface.bridge)) {
      throw new MissingBridgeError(
        `bridge ${iface.bridge} of interface ${iface.name} does not exist on the host; create it first (e.g. a Bridge resource, passing its name output as the interface's bridge so the router waits for it)`,
      );
    }
    const current = ports.find((p) => p.name === iface.name);
    if (current && !ownsRow(current.externalIds, owner, spec.adopt)) {
      throw new OwnershipConflict(
        `port ${iface.name} already exists on bridge ${current.bridge} and is not owned by ${owner} ` +
          `(${markNote(current.externalIds)}); remove it or pick another name`,
      );
    }
    let onBridge = current;
    if (current && current.bridge !== iface.bridge) {
      commands.push(delPort(current.bridge, iface.name, { ifExists: true })); // moving bridges: same transaction
      onBridge = undefined;
    }
    if (onBridge && onBridge.type === "internal" && deviceLost(iface.name, live)) {
      removeFirst.push(delPort(iface.bridge, iface.name, { ifExists: true }));
      lost.add(iface.name);
      onBridge = undefined;
    }
    // A new port, or a type change, gives a new device (OVS opens a new tap).
    if (!onBridge || onBridge.type !== "internal") recreated.add(iface.name);
    const before = previous?.interfaces.find((i) => i.name === iface.name);
    commands.push(...planPort(iface.bridge, portSpecOf(iface), onBridge, owner, before && portSpecOf(before)));
  }
  return { removeFirst, lost, commands, recreated, vanishing: new Set([...recreated, ...deleted]) };
}

const normalized = (value: string) => value.trim().split(/\s+/).join(" ");

/** The ops that take the host from `live` to `desired`; none when they agree. */
export function planRouter(
  desired: RouterNamespaceSpec,
  live: LiveRouter,
  owner: string,
  previous?: RouterNamespaceSpec,
): Op[] {
  const name = desired.name;
  const ownership = namespaceOwnership(live.namespace, owner, desired.adopt, ownDevices(desired, live, owner));
  const ns = ownership === "absent" ? undefined : live.namespace;
  const ops: Array<Op | undefined> = [];
  // The OVS ports first: the namespace commands after them then run as one chain (a round
  // trip, not one each), and OVSDB transactions join other routers' (providers/joins.ts).
  const ports = planPorts(desired, live, owner, previous);
  ops.push(
    transaction(
      ports.removeFirst,
      `delete the OVS ports of router ${name} whose device is lost, so OVS makes new ones`,
    ),
  );
  ops.push(transaction(ports.commands, `converge the OVS ports of router ${name}`));
  const inside = new Set((ns?.links ?? []).map((l) => l.name));
  // A device in the host's own namespace is one OVS made (again): it moves in, and a copy
  // of that name in the namespace, dead since the OVS that made it went away, goes first.
  const outside = new Set(live.hostLinks ?? []);
  const entering = desired.interfaces
    .filter((i) => ports.recreated.has(i.name) || !inside.has(i.name) || outside.has(i.name))
    .map((i) => i.name);
  const stale = entering.filter((dev) => inside.has(dev) && (outside.has(dev) || ports.lost.has(dev)));
  for (const dev of stale) ports.vanishing.add(dev);
  ops.push(ipBatch(stale.map(linkDel), `delete the dead copies of ${stale.join(", ")} in ${name}`, { netns: name }));
  // The namespace is made in the run that moves the devices in: one process, not two.
  const adding = ownership === "absent";
  const moving = entering.length ? `move ${entering.join(", ")} into namespace ${name}` : "";
  ops.push(
    ipBatch(
      [...(adding ? [netnsAddLine(name)] : []), ...entering.map((dev) => linkSetNetns(dev, name))],
      adding ? `create network namespace ${name}${moving && `, ${moving}`}` : moving,
      { unless: adding && !entering.length ? namespaceExists(name) : devicesIn(name, entering) },
    ),
  );
  // VLAN devices need their parent in the namespace. Only a batch that just adds can be
  // skipped when its devices exist (`ip link add` fails on a second script run).
  const vlans = planVlanDevices(desired, ns, new Set([...entering, ...ports.vanishing]));
  const unless = vlans.deleted.length ? undefined : devicesIn(name, vlans.created);
  ops.push(
    ipBatch(vlans.lines, `converge the VLAN devices ${[...vlans.deleted, ...vlans.created].join(", ")} in ${name}`, {
      netns: name,
      unless,
    }),
  );

  // After the moves and VLAN devices (per-device keys need the device), before the addresses
  // (promote_secondaries must hold when one is removed).
  const sysctls = Object.fromEntries(
    Object.entries(desired.sysctls).filter(
      ([k, v]) => ns?.sysctls[k] === undefined || normalized(ns.sysctls[k]) !== normalized(v),
    ),
  );
  ops.push(sysctlWrite(name, sysctls));

  const loUp = ownership !== "ours" || (ns?.links.find((l) => l.name === "lo")?.up ?? false);
  // A VLAN device goes with its parent, and routes through it with it.
  const orphans = (ns?.links ?? []).filter((l) => l.vlan && ports.vanishing.has(l.vlan.parent)).map((l) => l.name);
  const vanishing = new Set([...ports.vanishing, ...vlans.deleted, ...orphans]);
  const lines = planLinks(desired, ns, new Set([...entering, ...vlans.created]), vanishing, loUp);
  // The mark rides as the first line of the links batch (one process less), and runs alone
  // when there is no batch (adopting a namespace that already matches) or when the batch
  // reader would split the owner. Until then an apply cut short leaves a "bare" namespace.
  const mark = ownership === "ours" ? undefined : markBatchLine(owner);
  if (ownership !== "ours" && (!mark || lines.length === 0)) ops.push(markNamespace(name, owner));
  const marked = mark !== undefined && lines.length > 0;
  ops.push(
    ipBatch(
      marked ? [mark, ...lines] : lines,
      `${marked ? `mark namespace ${name} as owned by ${owner}, ` : ""}converge links, addresses and routes in ${name}`,
      { netns: name },
    ),
  );
  ops.push(...planNat(name, desired, ns?.nat ?? { chains: [], rules: [] }, desired.adopt));
  return ops.filter((op): op is Op => op !== undefined);
}

