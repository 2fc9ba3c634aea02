import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FlowRule } from "../../sdk/flowRule";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };

describe("FlowRule under Pulumi mocks", () => {
  const registered = recordRegistrations();

  it("registers ovslab:FlowRule with the flow, the connection and its owner", async () => {
    const rule = new FlowRule("strip-vlan-1", {
      bridge: "br-ex",
      priority: 4,
      match: "in_port=phy-br-ex,dl_vlan=1",
      actions: "strip_vlan,NORMAL",
      connection,
    });
    assert.equal(await outputOf(rule.actions), "strip_vlan,NORMAL");
    const args = registered.find((r) => r.name === "strip-vlan-1")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:FlowRule");
    assert.equal(args.inputs.owner, "lab/dev/FlowRule/strip-vlan-1");
    assert.equal(args.inputs.match, "in_port=phy-br-ex,dl_vlan=1");
  });

  it("rejects bad flow text at the line that declares it, naming every field", () => {
    assert.throws(
      () =>
        new FlowRule("bad", { bridge: "br-ex", table: 255, match: "dl_vlan=4096", actions: "strp_vlan", connection }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message.includes("table: must be 0-253") &&
        e.message.includes("match: dl_vlan=4096: must be 0-4095") &&
        e.message.includes('actions: unknown action "strp_vlan"'),
    );
  });

  it("waits for a bridge name that is another resource's output, and checks it at apply time", () => {
    const bridge = pulumi.output(new Promise<string>((resolve) => setTimeout(() => resolve("br-ex"), 5)));
    assert.doesNotThrow(() => new FlowRule("late", { bridge, actions: "NORMAL", connection }));
  });
});
