import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";

import { RouterNamespace } from "../../sdk/routerNamespace";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = {
  host: "10.0.0.5",
  privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n-----END OPENSSH PRIVATE KEY-----\n"),
};

describe("RouterNamespace under Pulumi mocks", () => {
  const registered = recordRegistrations();

  it("registers a dynamic resource of type ovslab:RouterNamespace with the spec, the connection and its owner", async () => {
    const router = new RouterNamespace("r1", {
      name: "qrouter-1",
      interfaces: [{ name: "qg-b", bridge: pulumi.output("br-ex"), addresses: ["172.24.4.2/24"] }],
      routes: [{ destination: "default", via: "172.24.4.1" }],
      connection,
    });
    assert.equal(await outputOf(router.name), "qrouter-1");
    const args = registered.find((r) => r.name === "r1")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:RouterNamespace");
    assert.equal(args.inputs.owner, "lab/dev/RouterNamespace/r1");
    assert.deepEqual(args.inputs.interfaces, [{ name: "qg-b", bridge: "br-ex", addresses: ["172.24.4.2/24"] }]);
  });

  it("names the namespace after the resource by default", async () => {
    await outputOf(new RouterNamespace("qrouter-2", { connection }).name);
    assert.equal(registered.find((r) => r.name === "qrouter-2")!.inputs.name, "qrouter-2");
  });

  it("rejects bad input at the line that declares it, naming every field and rule", () => {
    assert.throws(
      () => new RouterNamespace("bad", {
        name: "qrouter;1",
        interfaces: [{ name: "qg-b", bridge: "br-ex", addresses: ["172.24.4.2/33"] }],
        floatingIps: [{ floatingIp: "172.24.4.0/24", fixedIp: "10.0.0.6" }],
        connection,
      }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message.includes('RouterNamespace "bad"') &&
        e.message.includes("name: may contain only letters") &&
        e.message.includes('interfaces[0].addresses[0]: "172.24.4.2/33": the prefix length must be 0-32') &&
        e.message.includes('floatingIps[0].floatingIp: "172.24.4.0/24" is a network'),
    );
  });
});
