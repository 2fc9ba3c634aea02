import { strict as assert } from "node:assert";
import { closeAll, transportFor } from "../../transport/pool";
import { startTestSshd, TestSshd } from "./sshd";

describe("transportFor", () => {
  let sshd: TestSshd;
  before(async () => (sshd = await startTestSshd()));
  after(async () => {
    await closeAll();
    await sshd.close();
  });

  it("gives one transport per host and credentials, whatever the spelling of defaults", () => {
    const a = transportFor({ host: "127.0.0.1", port: sshd.port, privateKey: sshd.clientKey });
    assert.equal(transportFor({ host: "127.0.0.1", port: sshd.port, user: "root", privateKey: sshd.clientKey }), a);
    assert.notEqual(transportFor({ host: "127.0.0.1", port: sshd.port, user: "lab", privateKey: sshd.clientKey }), a);
  });

  it("shares one connection among all users of a host", async () => {
    const connection = { host: "127.0.0.1", port: sshd.port, privateKey: sshd.clientKey, hostKey: sshd.hostKey };
    await Promise.all([
      transportFor(connection).run({ argv: ["true"] }),
      transportFor({ ...connection }).run({ argv: ["true"] }),
    ]);
    assert.equal(transportFor(connection).stats().connectionsOpened, 1);
  });

  it("closes every transport and opens a fresh one afterwards", async () => {
    const connection = { host: "127.0.0.1", port: sshd.port, privateKey: sshd.clientKey, hostKey: sshd.hostKey };
    const old = transportFor(connection);
    await old.run({ argv: ["true"] });
    await closeAll();
    await assert.rejects(old.run({ argv: ["true"] }), /transport is closed/);
    const fresh = transportFor(connection);
    assert.notEqual(fresh, old);
    assert.equal((await fresh.run({ argv: ["echo", "again"] })).stdout, "again\n");
  });
});
