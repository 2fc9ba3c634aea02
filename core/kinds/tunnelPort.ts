// TunnelPort: one tunnel port (VXLAN by default) on a bridge, to one remote host.
import { TunnelPortArgs, tunnelPortSpec, TunnelPortSpec } from "../schema/tunnelPort";
import { documented } from "../schema/documented";
import { readBridges } from "../compile/vsctl";
import { LiveBridges, parseBridges } from "../live/bridge";
import { observeTunnelPort, planTunnelPort, planTunnelPortDelete, tunnelPortProblems } from "../plan/tunnelPort";
import { KindDefinition } from "./kind";
import { query, reading } from "./reading";

export const tunnelPortKind: KindDefinition<TunnelPortSpec, LiveBridges, "tunnelPort"> = {
  key: "tunnelPort",
  title: "TunnelPort",
  order: 1,
  schema: documented<TunnelPortArgs>()(tunnelPortSpec),
  idOf: (spec) => `${spec.bridge}:${spec.name}`,
  replaceOn: ["bridge"],
  read: (spec) => reading([query(readBridges([spec.bridge]), parseBridges)], (live) => live),
  plan: planTunnelPort,
  planDelete: planTunnelPortDelete,
  observe: observeTunnelPort,
  emptyLive: (_spec, ovs) => ovs,
  verify: tunnelPortProblems,
  graph: {
    bridges: (spec) => [spec.bridge],
    ports: (spec) => [{
      bridge: spec.bridge, name: spec.name, type: spec.type,
      role: { kind: "tunnel", remoteIp: spec.remoteIp, key: String(spec.key) },
    }],
  },
};
