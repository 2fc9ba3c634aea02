import type * as pulumi from "@pulumi/pulumi";
import { FlowArgs, FlowTableArgs as FlowTableSpecArgs } from "../core/schema/flow";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, OvslabResource } from "./resource";

export type { FlowArgs };

export interface FlowTableArgs extends Inputs<FlowTableSpecArgs>, HostArgs {}

/**
 * Many OpenFlow rules on one bridge as ONE resource (hundreds or thousands of flows): one
 * cookie, read with one dump and written with one atomic `ovs-ofctl --bundle`, with the
 * same guarantees as FlowRule (only our cookie is touched; drift is seen and repaired).
 * For thousands of rules give `flowsFile` (a JSON array of flows) instead of `flows`: Pulumi
 * then holds only the file's path and digest, and its own memory and time stay small.
 */
export class FlowTable extends OvslabResource {
  declare readonly bridge: pulumi.Output<string>;
  declare readonly flows: pulumi.Output<FlowArgs[] | undefined>;
  declare readonly flowsFile: pulumi.Output<string | undefined>;
  declare readonly flowsSha256: pulumi.Output<string | undefined>;
  declare readonly cookie: pulumi.Output<string | undefined>;

  constructor(name: string, args: FlowTableArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super(kinds.flowTable, name, spec, { connection }, opts);
  }
}
