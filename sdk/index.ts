// ovslab: lab networks as code. Components users declare in their Pulumi programs.
export { Bridge, BridgeArgs, PortArgs } from "./bridge";
export { HostArgs } from "./resource";
export type { ConnectionArgs } from "../transport/connection";
export { ValidationError } from "../core/validation";
