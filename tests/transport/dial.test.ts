import { strict as assert } from "node:assert";
import { DialError, isTransientDialError } from "../../transport/dial";

describe("isTransientDialError", () => {
  it("retries what a restarting or not yet listening sshd produces", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"])
      assert.ok(isTransientDialError(Object.assign(new Error(code), { code })));
    assert.ok(isTransientDialError(new Error("Timed out while waiting for handshake")));
    assert.ok(isTransientDialError(new Error("Connection lost before handshake")));
  });

  it("does not retry what another attempt cannot fix", () => {
    assert.ok(
      !isTransientDialError(
        Object.assign(new Error("All configured authentication methods failed"), { level: "client-authentication" }),
      ),
    );
    assert.ok(!isTransientDialError(new Error("Cannot parse privateKey: Unsupported key format")));
    assert.ok(!isTransientDialError(new DialError("host key does not match", false)));
    assert.ok(!isTransientDialError(Object.assign(new Error("getaddrinfo ENOTFOUND nohost"), { code: "ENOTFOUND" })));
  });
});
