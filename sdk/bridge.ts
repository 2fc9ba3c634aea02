import * as pulumi from "@pulumi/pulumi";
import { BridgeArgs as BridgeSpecArgs, PortArgs } from "../core/schema/bridge";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, NamedByDefault, OvslabResource } from "./resource";

export type { PortArgs };

/** The fields, their docs and defaults are `BridgeArgs` of core/schema/bridge.ts, each a Pulumi Input. */
export interface BridgeArgs extends Inputs<NamedByDefault<BridgeSpecArgs>>, HostArgs {}

/**
 * An Open vSwitch bridge and the ports it owns, converged over SSH against the live host:
 * drift shows in `pulumi preview`, `pulumi up` repairs it, and ports that someone else
 * added are never touched.
 */
export class Bridge extends OvslabResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly failMode: pulumi.Output<string>;
  declare readonly datapathType: pulumi.Output<string>;
  declare readonly protocols: pulumi.Output<string[]>;
  declare readonly externalIds: pulumi.Output<Record<string, string>>;
  declare readonly otherConfig: pulumi.Output<Record<string, string>>;
  declare readonly ports: pulumi.Output<PortArgs[]>;

  constructor(name: string, args: BridgeArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super(kinds.bridge, name, { ...spec, name: spec.name ?? name }, { connection }, opts);
  }
}
