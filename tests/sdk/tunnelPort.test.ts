import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { TunnelPort } from "../../sdk/tunnelPort";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };

describe("TunnelPort under Pulumi mocks", () => {
  const registered = recordRegistrations();

  it("registers ovslab:TunnelPort with every field, resolving a bridge name that is an output", async () => {
    const port = new TunnelPort("c1-to-c2", {
      bridge: pulumi.output("br-tun"),
      name: "vxlan-0afa000c",
      remoteIp: "10.250.0.12",
      key: 100,
      connection,
    });
    assert.equal(await outputOf(port.key), 100);
    assert.equal(await outputOf(port.remoteIp), "10.250.0.12");
    const args = registered.find((r) => r.name === "c1-to-c2")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:TunnelPort");
    assert.equal(args.inputs.bridge, "br-tun");
    assert.equal(args.inputs.owner, "lab/dev/TunnelPort/c1-to-c2");
  });

  it("rejects a VNI over 24 bits at the line that declares it", () => {
    assert.throws(
      () => new TunnelPort("bad", { bridge: "br-tun", name: "vx", remoteIp: "10.250.0.12", key: 2 ** 24, connection }),
      (e: unknown) =>
        e instanceof ValidationError && e.message.includes("key: must be 0-16777215 for a vxlan port (24 bits)"),
    );
  });
});
