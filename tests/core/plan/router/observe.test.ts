// observeRouter: the host in the spec's shape.
import { strict as assert } from "assert";
import { observeRouter } from "../../../../core/plan/router/observe";
import { converged, desired, empty, link, OWNER } from "./fixture";

describe("observeRouter", () => {
  it("reads a converged router back exactly as declared", () => {
    assert.deepEqual(observeRouter(converged(), desired, OWNER), desired);
  });

  it("is undefined when the namespace is gone or not ours", () => {
    assert.equal(observeRouter(empty(), desired, OWNER), undefined);
    assert.equal(observeRouter(converged(), desired, "someone/else/r1"), undefined);
  });

  it("shows drift: a missing address, an extra route, a lost floating IP rule", () => {
    const live = converged();
    link(live, "qr-a").addresses.splice(0, 1);
    live.namespace!.routes.push({ family: 4, destination: "10.7.0.0/16", via: "10.0.0.254", device: "qr-a", protocol: "boot", type: "unicast", metric: 0 });
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter((r) => r.chain !== "ovslab-OUTPUT");
    const seen = observeRouter(live, desired, OWNER)!;
    assert.deepEqual(seen.interfaces[0].addresses, ["fd00::1/64"]);
    assert.deepEqual(seen.routes.at(-1), { destination: "10.7.0.0/16", via: "10.0.0.254", device: "qr-a" });
    assert.deepEqual(seen.floatingIps, []);
    // Its SNAT-back rule is still there, and shows as what it is.
    assert.deepEqual(seen.snat, [desired.snat[0], { interface: "qg-b", sources: ["10.0.0.6/32"], toSource: "172.24.4.10" }]);
  });
});
