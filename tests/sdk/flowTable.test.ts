import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FlowTable } from "../../sdk/flowTable";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };

describe("FlowTable under Pulumi mocks", () => {
  const registered = recordRegistrations();

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
