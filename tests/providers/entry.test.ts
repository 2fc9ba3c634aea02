import { strict as assert } from "node:assert";
import { call } from "../../providers/entry";

const connection = { host: "192.0.2.7" };

describe("call, the entry point serialized providers use", () => {
  it("answers every kind key that state may hold, e.g. routerNamespace", async () => {
    const props = { name: "qrouter-1", connection, owner: "p/s/RouterNamespace/r" };
    const checked = await call("routerNamespace", "check", {}, props);
    assert.equal(checked.failures, undefined);
    assert.equal(checked.inputs.name, "qrouter-1");
    assert.equal(checked.inputs.sysctls["net.ipv4.ip_forward"], "1");
  });

  it("names a kind it does not know, as state written by a newer ovslab would hold", async () => {
    const newer = /^Error: ovslab: unknown resource kind "tunnel" \(state written by a newer ovslab\?\)$/;
    await assert.rejects(call("tunnel" as never, "read", "id", {}), newer);
    await assert.rejects(call("constructor" as never, "read", "id", {}), /unknown resource kind "constructor"/);
  });

  it("names a method it does not know", async () => {
    await assert.rejects(call("bridge", "import" as never), /unknown provider method "import"/);
  });
});
