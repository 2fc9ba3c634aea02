// Bridge: the core's bridge schema, reader, planner and observer, wired for the CRUD.
import { bridgeSpec, BridgeSpec } from "../core/schema/bridge";
import { readBridges } from "../core/compile/vsctl";
import { dumpAllFlows } from "../core/compile/ofctl";
import { LiveBridges, parseBridges } from "../core/live/bridge";
import { parseFlowDump } from "../core/live/flows";
import { observeBridge, planBridge, planBridgeDelete } from "../core/plan/bridge";
import { runChecked, Transport } from "../transport/types";
import { KindDefinition } from "./kind";

const readLive = async (host: Transport, spec: BridgeSpec) => parseBridges((await runChecked(host, readBridges([spec.name]))).stdout);

export const bridgeKind: KindDefinition<BridgeSpec, LiveBridges> = {
  title: "Bridge",
  schema: bridgeSpec,
  idOf: (spec) => spec.name,
  replaceOn: ["name"],
  readLive,
  // Before a delete, also every flow on the bridge: someone else's keep the bridge alive.
  readForDelete: async (host, spec) => {
    const live = await readLive(host, spec);
    if (!live.bridges.some((b) => b.name === spec.name)) return live;
    return { ...live, flows: { [spec.name]: parseFlowDump((await runChecked(host, dumpAllFlows(spec.name))).stdout) } };
  },
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
