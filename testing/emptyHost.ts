// The host a lab is planned for: empty but for the bridges the lab itself declares. Each
// resource is planned as if it came after everything it depends on and before itself,
// the order `ovslab plan` prints: its own objects absent, the declared bridges present.
import { OWNER_KEY } from "../core/schema/common";
import { BridgeSpec } from "../core/schema/bridge";
import { LiveBridge, LiveBridges } from "../core/live/bridge";

/** A declared Bridge as OVS would hold it after its create, marked with its owner. */
function declaredBridge(spec: BridgeSpec, owner: string): LiveBridge {
  return {
    name: spec.name,
    failMode: spec.failMode,
    datapathType: spec.datapathType,
    protocols: spec.protocols,
    externalIds: { ...spec.externalIds, [OWNER_KEY]: owner },
    otherConfig: spec.otherConfig,
    ports: spec.ports.map((p) => ({
      name: p.name,
      type: p.type,
      ...(p.tag !== undefined ? { tag: p.tag } : {}),
      trunks: p.trunks ?? [],
      ...(p.vlanMode !== undefined ? { vlanMode: p.vlanMode } : {}),
      options: p.options,
      externalIds: { ...p.externalIds, [OWNER_KEY]: owner },
    })),
  };
}

function withPortIndex(bridges: LiveBridge[]): LiveBridges {
  const portBridge = new Map<string, string>();
  for (const b of bridges) for (const p of b.ports) portBridge.set(p.name, b.name);
  return { bridges, portBridge };
}

/** Every declared bridge with its declared ports. */
export function declaredOvs(bridges: ReadonlyArray<{ spec: BridgeSpec; owner: string }>): LiveBridges {
  return withPortIndex(bridges.map((b) => declaredBridge(b.spec, b.owner)));
}

/** The OVS side as `owner` finds it before its own create: nothing of its own on it. */
export function withoutOwned(ovs: LiveBridges, owner: string): LiveBridges {
  const bridges = ovs.bridges
    .filter((b) => b.externalIds[OWNER_KEY] !== owner)
    .map((b) => ({ ...b, ports: b.ports.filter((p) => p.externalIds[OWNER_KEY] !== owner) }));
  return withPortIndex(bridges);
}
