import * as assert from "assert";
import { startUnderlay, UNDERLAY_BRIDGE, underlayAddress } from "../../lab/underlay";
import { machineNetworkState, waitForProcEntriesGone } from "./machine";

describe("startUnderlay @host", () => {
  it("holds a Linux bridge in a namespace of its own and leaves nothing after stop", async () => {
    const before = await machineNetworkState();
    const underlay = await startUnderlay();
    try {
      const links = await underlay.exec(["ip", "-o", "link", "show", "type", "bridge"]);
      assert.strictEqual(links.code, 0, links.stderr);
      assert.match(links.stdout, new RegExp(`: ${UNDERLAY_BRIDGE}: .*UP`));
      assert.deepStrictEqual(
        await machineNetworkState(),
        before,
        "the machine's own links and namespaces are unchanged",
      );
    } finally {
      const pids = underlay.processIds();
      assert.ok(pids.length >= 2, "unshare and the namespace's holder");
      await underlay.stop();
      assert.deepStrictEqual(await waitForProcEntriesGone(pids), []);
    }
    assert.deepStrictEqual(underlay.processIds(), []);
    await assert.rejects(underlay.exec(["true"]), /not running/);
  });

  it("numbers hosts from .11 in its /24", () => {
    assert.strictEqual(underlayAddress(1), "10.250.0.11");
    assert.strictEqual(underlayAddress(9), "10.250.0.19");
  });
});
