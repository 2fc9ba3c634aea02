// A bridge as the host has it, from the output of compile/vsctl `readBridges`.
import { listOf, optional, parseTables, Row, stringMapOf } from "./ovsdb";

export interface LivePort {
  name: string;
  /** Interface type; OVS's "" (a system device) is reported as `system`. */
  type: string;
  tag?: number;
  trunks: number[];
  vlanMode?: string;
  options: Record<string, string>;
  externalIds: Record<string, string>;
  /** OpenFlow port number; undefined until OVS assigns one, -1 when the interface failed. */
  ofport?: number;
  /** OVSDB `Interface.error`: why OVS could not set the interface up. */
  error?: string;
}

export interface LiveBridge {
  name: string;
  /** OVS's empty fail_mode means standalone. */
  failMode: string;
  datapathType: string;
  protocols: string[];
  externalIds: Record<string, string>;
  otherConfig: Record<string, string>;
  /** Every port on the bridge except its own internal port, in the host's order. */
  ports: LivePort[];
  /** Set when ovs-vswitchd does not run the bridge: its own interface has no OpenFlow port, or dpif/show lacks it. */
  notSetUp?: true;
}

/**
 * A flow as much as a bridge needs of it: to see whose it is before a delete, and to add it
 * back as it was after a fail_mode change (live/flows.ts parses whole ones; it imports this file).
 */
export interface BridgeFlow {
  cookie: string;
  table: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  importance: number;
  flags: string[];
  match: string;
  actions: string;
}

export interface LiveBridges {
  bridges: LiveBridge[];
  /** Port name -> bridge name, for every port on the host. */
  portBridge: Map<string, string>;
  /** Every flow of a bridge, by bridge name: read only before a delete. */
  flows?: Record<string, BridgeFlow[]>;
}

/** Why OVS could not set a port's interface up; undefined when it could (or has not tried yet). */
export function interfaceProblem(port: LivePort): string | undefined {
  return port.ofport === -1 || port.error ? (port.error ?? "OVS could not open the interface") : undefined;
}

/** `ovs-appctl dpif/show`: the bridges listed under each datapath (`  NAME:` lines). */
export function parseRunningBridges(stdout: string): string[] {
  return stdout.split("\n").flatMap((line) => /^ {2}(\S+):$/.exec(line)?.[1] ?? []);
}

export function parseBridges(stdout: string): LiveBridges {
  const [bridgeRows, portRows, ifaceRows] = parseTables(stdout);
  if (!bridgeRows || !portRows || !ifaceRows)
    throw new Error("expected three tables (Bridge, Port, Interface) from ovs-vsctl");
  return bridgesOf(bridgeRows, portRows, ifaceRows);
}

/** Bridges with the ports (and their interfaces) among the rows given; other ports are left out. */
export function bridgesOf(bridgeRows: Row[], portRows: Row[], ifaceRows: Row[]): LiveBridges {
  const ifaceByUuid = new Map(ifaceRows.map((r) => [r._uuid as string, r]));
  const portByUuid = new Map(portRows.map((r) => [r._uuid as string, r]));
  const portBridge = new Map<string, string>();
  const bridges = bridgeRows.map((b) => {
    const name = b.name as string;
    const ports: LivePort[] = [];
    let notSetUp = false;
    for (const uuid of listOf<string>(b.ports)) {
      const port = portByUuid.get(uuid);
      if (!port) continue;
      portBridge.set(port.name as string, name);
      const live = livePort(port, ifaceByUuid.get(listOf<string>(port.interfaces)[0]));
      if (port.name !== name) ports.push(live);
      else notSetUp = live.ofport === undefined || live.ofport === -1;
    }
    return {
      name,
      failMode: optional<string>(b.fail_mode) ?? "standalone",
      datapathType: (b.datapath_type as string) || "system",
      protocols: listOf<string>(b.protocols),
      externalIds: stringMapOf(b.external_ids),
      otherConfig: stringMapOf(b.other_config),
      ports,
      ...(notSetUp ? { notSetUp: true as const } : {}),
    };
  });
  return { bridges, portBridge };
}

function livePort(port: Row, iface: Row | undefined): LivePort {
  const vlanMode = optional<string>(port.vlan_mode);
  const tag = optional<number>(port.tag);
  const ofport = optional<number>(iface?.ofport);
  const error = optional<string>(iface?.error);
  return {
    name: port.name as string,
    type: (iface?.type as string) || "system",
    ...(tag !== undefined ? { tag } : {}),
    trunks: listOf<number>(port.trunks),
    ...(vlanMode !== undefined ? { vlanMode } : {}),
    options: stringMapOf(iface?.options),
    externalIds: stringMapOf(port.external_ids),
    ...(ofport !== undefined ? { ofport } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
