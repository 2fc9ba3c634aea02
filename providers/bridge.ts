// Bridge: the core's bridge schema, reader, planner and observer, wired for the CRUD.
import { bridgeSpec, BridgeSpec } from "../core/schema/bridge";
import { readBridges } from "../core/compile/vsctl";
import { dumpAllFlows } from "../core/compile/ofctl";
import { LiveBridges, parseBridges } from "../core/live/bridge";
import { parseFlowDump } from "../core/live/flows";
import { observeBridge, planBridge, planBridgeDelete } from "../core/plan/bridge";
import { runChecked, Transport } from "../transport/types";
import { KindDefinition } from "./kind";

const readBridge = async (host: Transport, spec: BridgeSpec) => parseBridges((await runChecked(host, readBridges([spec.name]))).stdout);

/** Every flow on the bridge, when it exists: someone else's keep it alive at delete; a fail_mode change must put them back. */
async function withFlows(host: Transport, spec: BridgeSpec, live: LiveBridges): Promise<LiveBridges> {
  if (!live.bridges.some((b) => b.name === spec.name)) return live;
  return { ...live, flows: { [spec.name]: parseFlowDump((await runChecked(host, dumpAllFlows(spec.name))).stdout) } };
}

/** The bridge, and its flows only when its fail_mode is about to change (OVS then flushes them). */
async function readLive(host: Transport, spec: BridgeSpec): Promise<LiveBridges> {
  const live = await readBridge(host, spec);
  const current = live.bridges.find((b) => b.name === spec.name);
  return current && current.failMode !== spec.failMode ? withFlows(host, spec, live) : live;
}

export const bridgeKind: KindDefinition<BridgeSpec, LiveBridges> = {
  title: "Bridge",
  schema: bridgeSpec,
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  readLive,
  // Before a delete, also every flow on the bridge: someone else's keep the bridge alive.
  readForDelete: async (host, spec) => withFlows(host, spec, await readBridge(host, spec)),
  plan: planBridge,
  planDelete: (spec, live, owner) => planBridgeDelete(spec.name, live, owner),
  observe: observeBridge,
  emptyLive: (_spec, ovs) => ovs,
  verify: (desired, live) => {
    const bridge = live.bridges.find((b) => b.name === desired.name);
    return (bridge?.ports ?? [])
      .filter((p) => desired.ports.some((d) => d.name === p.name) && (p.ofport === -1 || p.error))
      .map((p) => `port ${p.name}: ${p.error ?? "OVS could not open the interface"}`);
  },
};
