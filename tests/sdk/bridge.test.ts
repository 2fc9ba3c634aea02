import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";

import { Bridge } from "../../sdk/bridge";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = {
  host: "10.0.0.5",
  privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n-----END OPENSSH PRIVATE KEY-----\n"),
};

describe("Bridge under Pulumi mocks", () => {
  const registered = recordRegistrations();
  it("registers a dynamic resource of type ovslab:Bridge with the spec, the connection and its owner", async () => {
    const br = new Bridge("br-int", {
      failMode: "secure",
      datapathType: "netdev",
      ports: [{ name: "foo", type: "internal", tag: 4 }],
      connection,
    });
    assert.equal(await outputOf(br.failMode), "secure");
    const args = registered.find((r) => r.name === "br-int")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:Bridge");
    assert.equal(args.inputs.name, "br-int", "the bridge name defaults to the resource name");
    assert.equal(args.inputs.owner, "lab/dev/Bridge/br-int");
    assert.deepEqual(args.inputs.ports, [{ name: "foo", type: "internal", tag: 4 }]);
    assert.ok(typeof args.inputs.__provider === "string" && args.inputs.__provider.includes("ovslab/provider"));
  });

  it("rejects an invalid spec at the line that declares it, naming the field and the rule", () => {
    assert.throws(
      () => new Bridge("bad", { ports: [{ name: "p1", tag: 5000 }, { name: "p;2" }], connection }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message.includes("ports[0].tag: must be 0-4095") &&
        e.message.includes("ports[1].name: may contain only letters"),
    );
  });

  it("checks a spec that depends on another resource's output at apply time instead", () => {
    const name = pulumi.output(new Promise<string>((resolve) => setTimeout(() => resolve("br-late"), 5)));
    assert.doesNotThrow(() => new Bridge("late", { name, connection }));
  });
});

describe("Bridge outputs", () => {
  before(() =>
    pulumi.runtime.setMocks(
      {
        // Like the engine: the provider's outputs carry the defaults it filled in.
        newResource: (args) => ({
          id: args.name,
          state: { ...args.inputs, failMode: args.inputs.failMode ?? "standalone" },
        }),
        call: (args) => args.inputs,
      },
      "lab",
      "dev",
    ),
  );

  it("exposes every field as an output, also those the program left out", async () => {
    const br = new Bridge("br-plain", { connection: { host: "h" } });
    assert.equal(await outputOf(br.failMode), "standalone");
  });
});
