// PatchPair: two patch ports naming each other as peer, one on each bridge.
import { PatchPairArgs, patchPairSpec, PatchPairSpec } from "../schema/patchPair";
import { documented } from "../schema/documented";
import { LiveBridges } from "../live/bridge";
import { observePatchPair, patchPairProblems, planPatchPair, planPatchPairDelete } from "../plan/patchPair";
import { KindDefinition, vlanOf } from "./kind";
import { readOvs } from "./shared";

export const patchPairKind: KindDefinition<PatchPairSpec, LiveBridges, "patchPair"> = {
  key: "patchPair",
  title: "PatchPair",
  order: 1,
  schema: documented<PatchPairArgs>()(patchPairSpec),
  idOf: (spec) => `${spec.a.bridge}:${spec.a.port}<->${spec.b.bridge}:${spec.b.port}`,
  replaceOn: [], // renamed or moved ends are deleted and re-created in one transaction by the plan
  // Every bridge: our ports may have been moved, and a port name is unique host-wide.
  read: (spec) => readOvs([spec.a.bridge, spec.b.bridge], (live) => live),
  plan: planPatchPair,
  planDelete: planPatchPairDelete,
  observe: observePatchPair,
  emptyLive: (_spec, ovs) => ovs,
  verify: patchPairProblems,
  graph: {
    bridges: (spec) => [spec.a.bridge, spec.b.bridge],
    ports: (spec) =>
      ([[spec.a, spec.b], [spec.b, spec.a]] as const).map(([end, peer]) => ({
        bridge: end.bridge, name: end.port, type: "patch", ...vlanOf(end),
        role: { kind: "patch", peerBridge: peer.bridge, peerPort: peer.port },
      })),
  },
};
