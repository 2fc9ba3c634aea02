import { strict as assert } from "node:assert";
import { connectionKey, connectionLabel, parseConnection, redact } from "../../transport/connection";

describe("parseConnection", () => {
  it("applies pulumi-command's defaults and ovslab's own", () => {
    const c = parseConnection({ host: "10.0.0.5" });
    assert.equal(c.port, 22);
    assert.equal(c.user, "root");
    assert.equal(c.dialErrorLimit, 10);
    assert.equal(c.perDialTimeout, 15);
    assert.equal(c.knownHostsPath, "~/.ssh/known_hosts");
    assert.equal(c.skipHostKeyCheck, false);
  });

  it("accepts a pinned public key line and a SHA256 fingerprint", () => {
    parseConnection({
      host: "h",
      hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGUFXCXtQgSOsCEcclVa09/V1MRFsyx5WJ0ubIILqMhH comment",
    });
    parseConnection({ host: "h", hostKey: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" });
  });

  it("reports every problem with its path", () => {
    assert.throws(
      () => parseConnection({ host: "", port: 70000, hostKey: "not a key" }),
      (err: Error) =>
        /connection\.host: must not be empty/.test(err.message) &&
        /connection\.port:/.test(err.message) &&
        /connection\.hostKey: must be a public key line/.test(err.message),
    );
  });

  it("refuses a bastion proxy as not supported yet", () => {
    assert.throws(
      () => parseConnection({ host: "h", proxy: { host: "bastion" } }),
      /connection\.proxy: bastion \(proxy\) connections are not supported yet/,
    );
  });

  it("never echoes a secret in a validation error", () => {
    assert.throws(
      () =>
        parseConnection({ host: "h", password: 42 as unknown as string, privateKey: "s3cret-key-material", port: -1 }),
      (err: Error) => !err.message.includes("s3cret-key-material") && !err.message.includes("42"),
    );
  });
});

describe("connectionLabel", () => {
  it("names user, host and port and nothing else", () => {
    assert.equal(connectionLabel({ host: "127.0.0.1", port: 2222, password: "pw" }), "ssh root@127.0.0.1:2222");
    assert.equal(connectionLabel({ host: "::1", user: "lab" }), "ssh lab@[::1]:22");
  });
});

describe("connectionKey", () => {
  it("is the same for the same connection written with and without defaults", () => {
    assert.equal(connectionKey({ host: "h" }), connectionKey({ host: "h", port: 22, user: "root" }));
  });

  it("differs by user, port and credentials, and holds no secret", () => {
    const base = connectionKey({ host: "h", password: "hunter2" });
    assert.notEqual(base, connectionKey({ host: "h", password: "other" }));
    assert.notEqual(base, connectionKey({ host: "h", password: "hunter2", user: "lab" }));
    assert.notEqual(base, connectionKey({ host: "h", password: "hunter2", port: 2222 }));
    assert.ok(!base.includes("hunter2"));
    assert.match(base, /^ssh root@h:22#[0-9a-f]{16}$/);
  });
});

describe("redact", () => {
  it("removes the password, the passphrase and every line of the private key", () => {
    const key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbodyline1xyz\nBBBBbodyline2xyz\n-----END OPENSSH PRIVATE KEY-----\n";
    const message = redact("pw=hunter22 pass=phrase99 line=BBBBbodyline2xyz", {
      host: "h",
      password: "hunter22",
      privateKeyPassword: "phrase99",
      privateKey: key,
    });
    assert.equal(message, "pw=[redacted] pass=[redacted] line=[redacted]");
  });
});
