import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FlowTable } from "../../sdk/flowTable";
import { ValidationError } from "../../core/validation";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };
const outputOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("FlowTable under Pulumi mocks", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks(
      { newResource: (args) => (registered.push(args), { id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      "lab",
      "dev",
    );
  });

  it("registers ovslab:FlowTable with all its flows", async () => {
    const flows = [{ priority: 1, actions: "NORMAL" }, { priority: 2, match: "in_port=int-br-ex", actions: "drop" }];
    const table = new FlowTable("int-flows", { bridge: "br-int", flows, connection });
    assert.deepEqual(await outputOf(table.flows), flows);
    const args = registered.find((r) => r.name === "int-flows")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:FlowTable");
    assert.equal(args.inputs.owner, "lab/dev/FlowTable/int-flows");
  });

  it("rejects two flows OVS would hold as one, naming the index", () => {
    assert.throws(
      () => new FlowTable("dup", { bridge: "br-int", flows: [{ actions: "NORMAL" }, { actions: "drop" }], connection }),
      (e: unknown) => e instanceof ValidationError && e.message.includes("flows[1]: has the same table, priority and match as flows[0]"),
    );
  });
});
