// Bridge: an OVS bridge and the ports it owns.
import { BridgeArgs, bridgeSpec, BridgeSpec } from "../schema/bridge";
import { documented } from "../schema/documented";
import { dumpAllFlows, showDatapaths } from "../compile/ofctl";
import { interfaceProblem, LiveBridges, parseRunningBridges } from "../live/bridge";
import { parseFlowDump } from "../live/flows";
import { observeBridge, planBridge, planBridgeDelete } from "../plan/bridge";
import { KindDefinition, vlanOf } from "./kind";
import { query, Reading, reading } from "./reading";
import { readOvs } from "./shared";

/** Every flow on the bridge, when it exists: someone else's keep it alive at delete; a fail_mode change must put them back. */
const withFlows = (spec: BridgeSpec, live: LiveBridges) =>
  live.bridges.some((b) => b.name === spec.name)
    ? reading([query(dumpAllFlows(spec.name), parseFlowDump)], (flows) => ({ ...live, flows: { [spec.name]: flows } }))
    : live;

/**
 * Whether ovs-vswitchd runs a bridge on the system datapath, which it may fail to set up:
 * switched to it from netdev on a host without the kernel module, its own interface keeps
 * the OpenFlow port of the netdev datapath, so only ovs-vswitchd's own list tells.
 */
function whetherRunning(
  spec: BridgeSpec,
  live: LiveBridges,
  then: (live: LiveBridges) => LiveBridges | Reading<LiveBridges>,
) {
  const current = live.bridges.find((b) => b.name === spec.name);
  if (!current || current.datapathType !== "system" || current.notSetUp) return then(live);
  return reading([query(showDatapaths(), parseRunningBridges)], (running) =>
    then(running.includes(spec.name) ? live : {
      ...live,
      bridges: live.bridges.map((b) => (b === current ? { ...b, notSetUp: true as const } : b)),
    }),
  );
}

/** The bridge, and its flows only when its fail_mode is about to change (OVS then flushes them). */
const readLive = (spec: BridgeSpec) =>
  readOvs([spec.name], (ovs) =>
    whetherRunning(spec, ovs, (live) => {
      const current = live.bridges.find((b) => b.name === spec.name);
      return current && current.failMode !== spec.failMode ? withFlows(spec, live) : live;
    }),
  );

/**
 * ovs-vswitchd keeps a bridge it could not set up in OVSDB, without running it (a new one's
 * own interface gets no OpenFlow port); ovs-vsctl only warns ("Error detected while setting up") and exits 0. The
 * usual cause: the system datapath on a host without the openvswitch kernel module.
 */
export function datapathProblem(desired: BridgeSpec): string {
  const why = `bridge ${desired.name}: ovs-vswitchd could not set it up (it does not run it)`;
  return desired.datapathType === "system"
    ? `${why}; datapathType "system" needs the openvswitch kernel module: on a host without it ` +
        `(a container, a lab host) set datapathType: "netdev", the userspace datapath`
    : `${why}; see the host's ovs-vswitchd log`;
}

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
    const ports = (bridge?.ports ?? [])
      .filter((p) => desired.ports.some((d) => d.name === p.name) && interfaceProblem(p))
      .map((p) => `port ${p.name}: ${interfaceProblem(p)}`);
    return bridge?.notSetUp ? [datapathProblem(desired), ...ports] : ports;
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
