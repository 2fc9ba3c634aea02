// Bridges and their ports as declarations: patch ports that name each other become a
// PatchPair, tunnel ports a TunnelPort, ports whose device is in a selected namespace are
// left to that namespace's RouterNamespace (routers.ts), the rest stay the bridge's own.
import { BridgeArgs, PortArgs } from "../schema/bridge";
import { KEPT_KEY, OWNER_KEY } from "../schema/common";
import { PatchPairArgs } from "../schema/patchPair";
import { TUNNEL_TYPES, TunnelPortArgs } from "../schema/tunnelPort";
import { LiveBridge, LivePort } from "../live/bridge";
import { AdoptOptions, Declared, HostState, Names, whose, Whose } from "./model";

export interface OvsDeclarations {
  bridges: Declared<BridgeArgs>[];
  patchPairs: Declared<PatchPairArgs>[];
  tunnelPorts: Declared<TunnelPortArgs>[];
  leftAlone: string[];
}

/**
 * A bridge's owner: its mark, or the stack it is kept for (ovslab kept it, unmarked, for
 * someone else's ports or flows; that stack takes it back, no other may adopt it).
 */
export function bridgeOwner(bridge: LiveBridge, options: AdoptOptions): Whose {
  return whose(bridge.externalIds[OWNER_KEY] ?? bridge.externalIds[KEPT_KEY], options);
}

/** The selected bridges in the order asked for (every bridge by name when none), and those that are missing. */
export function selectBridges(host: HostState, options: AdoptOptions): { bridges: LiveBridge[]; missing: string[] } {
  const byName = new Map(host.ovs.bridges.map((b) => [b.name, b]));
  if (options.bridges.length === 0)
    return { bridges: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), missing: [] };
  return {
    bridges: options.bridges.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : [])),
    missing: options.bridges.filter((n) => !byName.has(n)),
  };
}

const without = (map: Record<string, string>, keys: string[]) =>
  Object.fromEntries(Object.entries(map).filter(([k]) => !keys.includes(k)));
const nonEmpty = <K extends string, V extends object>(key: K, value: V) =>
  (Object.keys(value).length ? { [key]: value } : {}) as Partial<Record<K, V>>;

/** A port as a Bridge declares it: only what differs from OVS's defaults. */
export function portArgs(port: LivePort): PortArgs {
  return {
    name: port.name,
    ...(port.type !== "system" ? { type: port.type as PortArgs["type"] } : {}),
    ...(port.tag !== undefined ? { tag: port.tag } : {}),
    ...(port.trunks.length ? { trunks: [...port.trunks].sort((a, b) => a - b) } : {}),
    ...(port.vlanMode !== undefined ? { vlanMode: port.vlanMode as PortArgs["vlanMode"] } : {}),
    ...nonEmpty("options", port.options),
    ...nonEmpty("externalIds", without(port.externalIds, [OWNER_KEY])),
  };
}

const TUNNEL_OPTIONS = new Set(["remote_ip", "local_ip", "key", "dst_port"]);

/** A tunnel port TunnelPort can state exactly, or undefined (it stays a Bridge port). */
function tunnelArgs(bridge: string, port: LivePort): TunnelPortArgs | undefined {
  const o = port.options;
  const modelled = Object.keys(o).every((k) => TUNNEL_OPTIONS.has(k));
  const plain = port.tag === undefined && port.trunks.length === 0 && port.vlanMode === undefined;
  // Without options:key OVS uses key 0, yet TunnelPort would write key=0 where none is:
  // a Bridge port states it exactly.
  const key = o.key === "flow" ? "flow" : o.key !== undefined && /^\d+$/.test(o.key) ? Number(o.key) : undefined;
  const dstPort = o.dst_port === undefined ? undefined : /^\d+$/.test(o.dst_port) ? Number(o.dst_port) : NaN;
  if (!(TUNNEL_TYPES as readonly string[]).includes(port.type) || !modelled || !plain || !o.remote_ip) return undefined;
  if (key === undefined || Number.isNaN(dstPort)) return undefined;
  return {
    bridge,
    name: port.name,
    ...(port.type !== "vxlan" ? { type: port.type as TunnelPortArgs["type"] } : {}),
    remoteIp: o.remote_ip,
    ...(o.local_ip !== undefined ? { localIp: o.local_ip } : {}),
    ...(key !== "flow" ? { key } : {}),
    ...(dstPort !== undefined ? { dstPort } : {}),
  };
}

/**
 * Bridges, patch pairs and tunnel ports of the selected bridges. `claimed` holds the ports
 * a router declares (their device is in a selected namespace); `elsewhere` the ports whose
 * device is in a namespace that was not selected.
 */
export function declareOvs(
  host: HostState,
  options: AdoptOptions,
  claimed: ReadonlySet<string>,
  elsewhere: ReadonlyMap<string, string>,
): OvsDeclarations {
  const out: OvsDeclarations = { bridges: [], patchPairs: [], tunnelPorts: [], leftAlone: [] };
  const { bridges } = selectBridges(host, options);
  const names = { bridge: new Names(), pair: new Names(), tunnel: new Names() };
  const adoptable = bridges.filter((b) => {
    const owner = bridgeOwner(b, options);
    const how = b.externalIds[OWNER_KEY] === undefined ? "kept by" : "owned by";
    if ("foreign" in owner) out.leftAlone.push(`bridge ${b.name}, its ports and flows: ${how} ${owner.foreign}`);
    return !("foreign" in owner);
  });
  const rank = new Map(adoptable.map((b, i) => [b.name, i]));
  const portOf = (bridge: string, name: string) =>
    adoptable.find((b) => b.name === bridge)?.ports.find((p) => p.name === name);
  const paired = new Set<string>();

  for (const bridge of adoptable) {
    const owner = bridgeOwner(bridge, options);
    const ports: PortArgs[] = [];
    for (const port of bridge.ports) {
      const portOwner = whose(port.externalIds[OWNER_KEY], options);
      if ("foreign" in portOwner) {
        out.leftAlone.push(`port ${port.name} on ${bridge.name}: owned by ${portOwner.foreign}`);
        continue;
      }
      if (claimed.has(port.name) || paired.has(port.name)) continue;
      if (elsewhere.has(port.name)) {
        out.leftAlone.push(
          `port ${port.name} on ${bridge.name}: its device is in namespace ${elsewhere.get(port.name)}, ` +
            "which was not selected",
        );
        continue;
      }
      const mark = "own" in portOwner ? portOwner.own : undefined;
      const peerName = port.type === "patch" ? port.options.peer : undefined;
      const peerBridge = peerName !== undefined ? host.ovs.portBridge.get(peerName) : undefined;
      const peer = peerName !== undefined && peerBridge !== undefined ? portOf(peerBridge, peerName) : undefined;
      const peerFree = peer !== undefined && !("foreign" in whose(peer.externalIds[OWNER_KEY], options));
      if (
        peer &&
        peerBridge &&
        peerFree &&
        peer.type === "patch" &&
        peer.options.peer === port.name &&
        peer.name !== port.name
      ) {
        const ends = [
          { bridge: bridge.name, port },
          { bridge: peerBridge, port: peer },
        ];
        // End `a` is the one on the bridge listed first; a pair named after one of its ports has that one first.
        ends.sort((x, y) => rank.get(x.bridge)! - rank.get(y.bridge)!);
        if (mark && ends[1].port.name === mark.name) ends.reverse();
        const [a, b] = ends.map((e) => ({
          bridge: e.bridge,
          port: e.port.name,
          ...(e.port.tag !== undefined ? { tag: e.port.tag } : {}),
          ...(e.port.trunks.length ? { trunks: [...e.port.trunks].sort((x, y) => x - y) } : {}),
        }));
        paired.add(port.name).add(peer.name);
        const name = names.pair.claim(mark?.type === "PatchPair" ? mark.name : a.port);
        out.patchPairs.push({ name, args: { a, b }, adopt: !mark, notes: [] });
        continue;
      }
      const tunnel = tunnelArgs(bridge.name, port);
      if (tunnel) {
        const name = names.tunnel.claim(mark?.type === "TunnelPort" ? mark.name : port.name);
        out.tunnelPorts.push({ name, args: tunnel, adopt: !mark, notes: [] });
        continue;
      }
      ports.push(portArgs(port));
    }
    const mark = "own" in owner ? owner.own : undefined;
    out.bridges.push({
      name: names.bridge.claim(mark?.name ?? bridge.name),
      args: {
        name: bridge.name,
        ...(bridge.failMode !== "standalone" ? { failMode: bridge.failMode as BridgeArgs["failMode"] } : {}),
        ...(bridge.datapathType !== "system"
          ? { datapathType: bridge.datapathType as BridgeArgs["datapathType"] }
          : {}),
        ...(bridge.protocols.length ? { protocols: bridge.protocols as BridgeArgs["protocols"] } : {}),
        ...nonEmpty("externalIds", without(bridge.externalIds, [OWNER_KEY, KEPT_KEY])),
        ...nonEmpty("otherConfig", bridge.otherConfig),
        ...(ports.length ? { ports } : {}),
      },
      adopt: !mark,
      notes: [],
    });
  }
  return out;
}
