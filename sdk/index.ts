// ovslab: lab networks as code. Components users declare in their Pulumi programs.
export { Bridge, BridgeArgs, PortArgs } from "./bridge";
export { PatchPair, PatchPairArgs, PatchEndArgs } from "./patchPair";
export { FlowRule, FlowRuleArgs } from "./flowRule";
export { FlowTable, FlowTableArgs, FlowArgs } from "./flowTable";
export {
  RouterNamespace,
  RouterNamespaceArgs,
  RouterInterfaceArgs,
  RouterVlanArgs,
  RouteArgs,
  SnatArgs,
  FloatingIpArgs,
} from "./routerNamespace";
export { TunnelPort, TunnelPortArgs } from "./tunnelPort";
export { VxlanMesh, VxlanMeshArgs, VxlanMeshHostArgs, VxlanMeshHost, MeshNetworkArgs } from "./vxlanMesh";
export { HostArgs } from "./resource";
export type { ConnectionArgs } from "../transport/connection";
export { ValidationError } from "../core/validation";
export { hostConnection, namedHostConnection } from "./connection";
