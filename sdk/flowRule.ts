import * as pulumi from "@pulumi/pulumi";
import { FlowRuleArgs as FlowRuleSpecArgs } from "../core/schema/flow";
import { kinds } from "../core/kinds";
import { HostArgs, Inputs, OvslabResource } from "./resource";

export interface FlowRuleArgs extends Inputs<FlowRuleSpecArgs>, HostArgs {}

/**
 * One OpenFlow rule on a bridge, in the ovs-ofctl flow language:
 *
 *     new FlowRule("strip-vlan-1", { connection, bridge: brEx.name, priority: 4,
 *       match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" });
 *
 * The rule carries a cookie derived from this resource; ovslab reads, rewrites and deletes
 * only flows with that cookie, so flows of anyone else (a Neutron agent, a person) are
 * never touched. Every change is one atomic `ovs-ofctl --bundle` (OpenFlow 1.4: the bridge's
 * protocols must allow it). Pass `bridge` as the Bridge's `name` output: the rule then waits
 * for the bridge, and is checked again after a fail_mode change flushed the bridge's flows.
 */
export class FlowRule extends OvslabResource {
  declare readonly bridge: pulumi.Output<string>;
  declare readonly table: pulumi.Output<number>;
  declare readonly priority: pulumi.Output<number>;
  declare readonly match: pulumi.Output<string>;
  declare readonly actions: pulumi.Output<string>;
  declare readonly idleTimeout: pulumi.Output<number>;
  declare readonly hardTimeout: pulumi.Output<number>;
  declare readonly cookie: pulumi.Output<string | undefined>;

  constructor(name: string, args: FlowRuleArgs, opts?: pulumi.CustomResourceOptions) {
    const { connection, ...spec } = args;
    super(kinds.flowRule, name, spec, { connection }, opts);
  }
}
