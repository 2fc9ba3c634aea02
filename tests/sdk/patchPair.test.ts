import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PatchPair } from "../../sdk/patchPair";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };

describe("PatchPair under Pulumi mocks", () => {
  const registered = recordRegistrations();

  it("registers ovslab:PatchPair with both ends, resolving bridge names that are outputs", async () => {
    const brInt = pulumi.output("br-int");
    const pair = new PatchPair("int-ex", {
      a: { bridge: brInt, port: "int-br-ex" },
      b: { bridge: "br-ex", port: "phy-br-ex", tag: 1 },
      connection,
    });
    assert.deepEqual(await outputOf(pair.b), { bridge: "br-ex", port: "phy-br-ex", tag: 1 });
    const args = registered.find((r) => r.name === "int-ex")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:PatchPair");
    assert.deepEqual(args.inputs.a, { bridge: "br-int", port: "int-br-ex" });
    assert.equal(args.inputs.owner, "lab/dev/PatchPair/int-ex");
  });

  it("rejects a pair whose ends share a name, at the line that declares it", () => {
    assert.throws(
      () => new PatchPair("bad", { a: { bridge: "br-int", port: "p" }, b: { bridge: "br-ex", port: "p" }, connection }),
      (e: unknown) => e instanceof ValidationError && e.message.includes("b.port: is also a.port"),
    );
  });
});
