// Bridge: an OVS bridge and the ports it owns.
import { BridgeArgs, bridgeSpec, BridgeSpec } from "../schema/bridge";
import { documented } from "../schema/documented";
import { dumpAllFlows } from "../compile/ofctl";
import { interfaceProblem, LiveBridges } from "../live/bridge";
import { parseFlowDump } from "../live/flows";
import { observeBridge, planBridge, planBridgeDelete } from "../plan/bridge";
import { KindDefinition, vlanOf } from "./kind";
import { query, reading } from "./reading";
import { readOvs } from "./shared";

/** Every flow on the bridge, when it exists: someone else's keep it alive at delete; a fail_mode change must put them back. */
const withFlows = (spec: BridgeSpec, live: LiveBridges) =>
  live.bridges.some((b) => b.name === spec.name)
    ? reading([query(dumpAllFlows(spec.name), parseFlowDump)], (flows) => ({ ...live, flows: { [spec.name]: flows } }))
    : live;

/** The bridge, and its flows only when its fail_mode is about to change (OVS then flushes them). */
const readLive = (spec: BridgeSpec) =>
  readOvs([spec.name], (live) => {
    const current = live.bridges.find((b) => b.name === spec.name);
    return current && current.failMode !== spec.failMode ? withFlows(spec, live) : live;
  });

export const bridgeKind: KindDefinition<BridgeSpec, LiveBridges, "bridge"> = {
  key: "bridge",
  title: "Bridge",
  order: 0,
  schema: documented<BridgeArgs>()(bridgeSpec),
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  read: readLive,
  // Before a delete, also every flow on the bridge: someone else's keep the bridge alive.
  readForDelete: (spec) => readOvs([spec.name], (live) => withFlows(spec, live)),
  plan: planBridge,
  planDelete: (spec, live, owner) => planBridgeDelete(spec.name, live, owner),
  observe: observeBridge,
  emptyLive: (_spec, ovs) => ovs,
  verify: (desired, live) => {
    const bridge = live.bridges.find((b) => b.name === desired.name);
    return (bridge?.ports ?? [])
      .filter((p) => desired.ports.some((d) => d.name === p.name) && interfaceProblem(p))
      .map((p) => `port ${p.name}: ${interfaceProblem(p)}`);
  },
  graph: {
    bridges: (spec) => [spec.name],
    ports: (spec) =>
      spec.ports.map((p) => ({
        bridge: spec.name,
        name: p.name,
        type: p.type,
        ...vlanOf(p),
        ...(p.vlanMode ? { vlanMode: p.vlanMode } : {}),
        role: { kind: "bridge" },
      })),
  },
};
