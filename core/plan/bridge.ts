// Desired bridge vs the host's bridge -> the minimal ovs-vsctl transaction, and the
// bridge as the host has it in the spec's own shape (for read, refresh and diff).
import { Op } from "../shell";
import { KEPT_KEY, OWNER_KEY } from "../schema/common";
import { BridgeSpec, PortSpec } from "../schema/bridge";
import { BridgeFlow, LiveBridge, LiveBridges, LivePort } from "../live/bridge";
import { restoreFlows } from "../compile/ofctl";
import { addBr, addPort, clear, delBr, delPort, removeKeys, set, transaction, VsctlCommand } from "../compile/vsctl";
import { pickKeys, planMap, sameList } from "./maps";
import { OwnershipConflict } from "./errors";
import { markNote, ownsRow } from "./adopt";

/** What a bridge looks like right after `add-br`: the baseline for creating one. */
export function freshBridge(name: string): LiveBridge {
  return {
    name,
    failMode: "standalone",
    datapathType: "system",
    protocols: [],
    externalIds: {},
    otherConfig: {},
    ports: [],
  };
}

// OVS spells a system device as an empty type.
const interfaceType = (type: string) => (type === "system" ? '""' : type);
const sortedNumbers = (xs: readonly number[] = []) => [...xs].sort((a, b) => a - b);

/**
 * The one transaction that takes the host from `live` to `desired`, or no op at all when
 * they already agree. `previous` is the spec last applied: keys it declared and `desired`
 * no longer does are removed. Throws OwnershipConflict rather than touch what is not ours.
 */
export function planBridge(desired: BridgeSpec, live: LiveBridges, owner: string, previous?: BridgeSpec): Op[] {
  const current = live.bridges.find((b) => b.name === desired.name);
  // A bridge this owner deleted but kept for someone else's things: it takes it back.
  const keptForUs =
    current !== undefined && current.externalIds[OWNER_KEY] === undefined && current.externalIds[KEPT_KEY] === owner;
  if (current && !ownsRow(current.externalIds, owner, desired.adopt) && !keptForUs) {
    const kept =
      current.externalIds[KEPT_KEY] !== undefined
        ? `, kept by ${current.externalIds[KEPT_KEY]} for what others have on it`
        : "";
    throw new OwnershipConflict(
      `bridge ${desired.name} already exists on the host and is not owned by ${owner} ` +
        `(external_ids:${OWNER_KEY}=${current.externalIds[OWNER_KEY] ?? "<unset>"}${kept}); ` +
        "remove it or pick another name" +
        (current.externalIds[OWNER_KEY] === undefined && !kept
          ? ", or declare it with adopt: true to take it over"
          : ""),
    );
  }
  const base = current ?? freshBridge(desired.name);
  const br = desired.name;
  const cmds: Array<VsctlCommand | undefined> = [];
  if (!current) cmds.push(addBr(br, { mayExist: true }));

  const columns: Record<string, string> = {};
  if (base.datapathType !== desired.datapathType) columns.datapath_type = desired.datapathType;
  if (base.failMode !== desired.failMode) columns.fail_mode = desired.failMode;
  const protocolsChanged = !sameList(base.protocols, desired.protocols);
  if (protocolsChanged && desired.protocols.length) columns.protocols = desired.protocols.join(",");
  const ids = planMap({ ...desired.externalIds, [OWNER_KEY]: owner }, base.externalIds, previous?.externalIds);
  const other = planMap(desired.otherConfig, base.otherConfig, previous?.otherConfig);
  cmds.push(set("Bridge", br, columns, { external_ids: ids.set, other_config: other.set }));
  if (protocolsChanged && !desired.protocols.length) cmds.push(clear("Bridge", br, ["protocols"]));
  cmds.push(removeKeys("Bridge", br, "external_ids", [...ids.remove, ...(keptForUs ? [KEPT_KEY] : [])]));
  cmds.push(removeKeys("Bridge", br, "other_config", other.remove));

  const wanted = new Set(desired.ports.map((p) => p.name));
  for (const port of base.ports) {
    if (port.externalIds[OWNER_KEY] === owner && !wanted.has(port.name))
      cmds.push(delPort(br, port.name, { ifExists: true }));
  }
  for (const port of desired.ports) {
    const elsewhere = live.portBridge.get(port.name);
    if (elsewhere !== undefined && elsewhere !== br) {
      throw new OwnershipConflict(
        `port ${port.name} already exists on bridge ${elsewhere}; a port can be on one bridge only`,
      );
    }
    const livePort = base.ports.find((p) => p.name === port.name);
    if (livePort && !ownsRow(livePort.externalIds, owner, desired.adopt)) {
      throw new OwnershipConflict(
        `port ${port.name} already exists on bridge ${br} and is not owned by ${owner} ` +
          `(${markNote(livePort.externalIds)}); remove it or pick another name`,
      );
    }
    const before = previous?.ports.find((p) => p.name === port.name);
    cmds.push(...planPort(br, port, livePort, owner, before));
  }
  const op = transaction(cmds, `${current ? "converge" : "create"} bridge ${br}`);
  // OVS deletes every flow of a bridge whose fail_mode changes (its connection manager
  // flushes the table): put back what was there, ours and others', as it was.
  const flushed = current && columns.fail_mode ? (live.flows?.[br] ?? []).filter((f) => !isDefaultFlow(f)) : [];
  return [op, restoreFlows(br, flushed)].filter((o): o is Op => o !== undefined);
}

/** Sub-commands for one port we own: add it when missing, then set only what differs. */
export function planPort(
  br: string,
  port: PortSpec,
  live: LivePort | undefined,
  owner: string,
  previous?: PortSpec,
): Array<VsctlCommand | undefined> {
  const cmds: Array<VsctlCommand | undefined> = [];
  const base: LivePort = live ?? { name: port.name, type: "system", trunks: [], options: {}, externalIds: {} };
  if (!live) cmds.push(addPort(br, port.name, { mayExist: true }));
  const p = port.name;

  const columns: Record<string, string> = {};
  const clears: string[] = [];
  if (base.tag !== port.tag) port.tag === undefined ? clears.push("tag") : (columns.tag = String(port.tag));
  const trunks = sortedNumbers(port.trunks);
  if (!sameList(sortedNumbers(base.trunks), trunks))
    trunks.length ? (columns.trunks = `[${trunks.join(",")}]`) : clears.push("trunks");
  if (base.vlanMode !== port.vlanMode)
    port.vlanMode === undefined ? clears.push("vlan_mode") : (columns.vlan_mode = port.vlanMode);
  const ids = planMap({ ...port.externalIds, [OWNER_KEY]: owner }, base.externalIds, previous?.externalIds);
  cmds.push(set("Port", p, columns, { external_ids: ids.set }));
  cmds.push(clear("Port", p, clears));
  cmds.push(removeKeys("Port", p, "external_ids", ids.remove));

  const ifaceColumns: Record<string, string> = {};
  if (base.type !== port.type) ifaceColumns.type = interfaceType(port.type);
  const options = planMap(port.options, base.options, previous?.options);
  cmds.push(set("Interface", p, ifaceColumns, { options: options.set }));
  cmds.push(removeKeys("Interface", p, "options", options.remove));
  return cmds;
}

/** The flow OVS itself puts in a standalone bridge: owned by nobody, gone with the bridge. */
const isDefaultFlow = (f: BridgeFlow) =>
  BigInt(f.cookie) === 0n && f.table === 0 && f.priority === 0 && f.match === "" && f.actions === "NORMAL";

/**
 * Deleting a bridge resource: our ports go; the bridge goes too unless someone else's
 * port or flow is on it (our flow resources are deleted before their bridge), in which
 * case it stays, without our mark, so theirs survive.
 */
export function planBridgeDelete(name: string, live: LiveBridges, owner: string): Op[] {
  const current = live.bridges.find((b) => b.name === name);
  if (!current || current.externalIds[OWNER_KEY] !== owner) return [];
  const foreignFlows = (live.flows?.[name] ?? []).filter((f) => !isDefaultFlow(f));
  const foreign = [
    ...current.ports.filter((p) => p.externalIds[OWNER_KEY] !== owner).map((p) => p.name),
    ...(foreignFlows.length
      ? [
          `${foreignFlows.length} flow${foreignFlows.length === 1 ? "" : "s"} of cookie ${[...new Set(foreignFlows.map((f) => f.cookie))].join(", ")}`,
        ]
      : []),
  ];
  if (foreign.length === 0) return [transaction([delBr(name, { ifExists: true })], `delete bridge ${name}`)!];
  const cmds = current.ports
    .filter((p) => p.externalIds[OWNER_KEY] === owner)
    .map((p) => delPort(name, p.name, { ifExists: true }));
  cmds.push(removeKeys("Bridge", name, "external_ids", [OWNER_KEY])!);
  cmds.push(set("Bridge", name, {}, { external_ids: { [KEPT_KEY]: owner } })!);
  return [
    transaction(
      cmds,
      `delete our ports on bridge ${name}; keep the bridge, marked kept by us, for what we do not own (${foreign.join(", ")})`,
    )!,
  ];
}

/**
 * The host's bridge in the spec's shape, showing only what this resource manages: its
 * own ports and the map keys `reference` (the desired or last applied spec) declares.
 * Undefined when the bridge is gone or no longer ours.
 */
export function observeBridge(live: LiveBridges, reference: BridgeSpec, owner: string): BridgeSpec | undefined {
  const current = live.bridges.find((b) => b.name === reference.name);
  if (!current || current.externalIds[OWNER_KEY] !== owner) return undefined;
  const order = new Map(reference.ports.map((p, i) => [p.name, i]));
  const rank = (name: string) => order.get(name) ?? Number.MAX_SAFE_INTEGER;
  const ours = current.ports
    .filter((p) => p.externalIds[OWNER_KEY] === owner)
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return {
    name: current.name,
    failMode: current.failMode as BridgeSpec["failMode"],
    datapathType: current.datapathType as BridgeSpec["datapathType"],
    protocols: current.protocols as BridgeSpec["protocols"],
    externalIds: pickKeys(current.externalIds, reference.externalIds),
    otherConfig: pickKeys(current.otherConfig, reference.otherConfig),
    ports: ours.map((p) => observePort(p, reference.ports.find((r) => r.name === p.name))),
  };
}

function observePort(live: LivePort, reference: PortSpec | undefined): PortSpec {
  const { [OWNER_KEY]: _mark, ...externalIds } = live.externalIds;
  return {
    name: live.name,
    type: live.type as PortSpec["type"],
    ...(live.tag !== undefined ? { tag: live.tag } : {}),
    ...(live.trunks.length ? { trunks: sortedNumbers(live.trunks) } : {}),
    ...(live.vlanMode !== undefined ? { vlanMode: live.vlanMode as PortSpec["vlanMode"] } : {}),
    options: reference ? pickKeys(live.options, reference.options) : live.options,
    externalIds: reference ? pickKeys(externalIds, reference.externalIds) : externalIds,
  };
}
