// PatchPair: the core's patch pair schema, reader, planner and observer, wired for the CRUD.
import { patchPairSpec, PatchPairSpec } from "../core/schema/patchPair";
import { readBridges } from "../core/compile/vsctl";
import { LiveBridges, parseBridges } from "../core/live/bridge";
import { observePatchPair, patchPairProblems, planPatchPair, planPatchPairDelete } from "../core/plan/patchPair";
import { runChecked } from "../transport/types";
import { KindDefinition } from "./kind";

export const patchPairKind: KindDefinition<PatchPairSpec, LiveBridges> = {
  title: "PatchPair",
  schema: patchPairSpec,
  idOf: (spec) => `${spec.a.bridge}:${spec.a.port}<->${spec.b.bridge}:${spec.b.port}`,
  replaceOn: [], // renamed or moved ends are deleted and re-created in one transaction by the plan
  // Every bridge: our ports may have been moved, and a port name is unique host-wide.
  readLive: async (host, spec) => parseBridges((await runChecked(host, readBridges([spec.a.bridge, spec.b.bridge]))).stdout),
  plan: planPatchPair,
  planDelete: planPatchPairDelete,
  observe: observePatchPair,
  emptyLive: (_spec, ovs) => ovs,
  verify: patchPairProblems,
};
