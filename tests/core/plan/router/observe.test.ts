// observeRouter: the host in the spec's shape.
import { strict as assert } from "assert";
import { observeRouter } from "../../../../core/plan/router/observe";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { converged, desired, empty, link, OWNER, script } from "./fixture";

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
    live.namespace!.routes.push({
      family: 4,
      destination: "10.7.0.0/16",
      via: "10.0.0.254",
      device: "qr-a",
      protocol: "boot",
      type: "unicast",
      metric: 0,
    });
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter((r) => r.chain !== "ovslab-OUTPUT");
    const seen = observeRouter(live, desired, OWNER)!;
    assert.deepEqual(seen.interfaces[0].addresses, ["fd00::1/64"]);
    assert.deepEqual(seen.routes.at(-1), { destination: "10.7.0.0/16", via: "10.0.0.254", device: "qr-a" });
    assert.deepEqual(seen.floatingIps, []);
    // Its SNAT-back rule is still there, and shows as what it is.
    assert.deepEqual(seen.snat, [
      desired.snat[0],
      { interface: "qg-b", sources: ["10.0.0.6/32"], toSource: "172.24.4.10" },
    ]);
  });

  it("shows a device that is down (up is the default) and, after an OVS restart, a dead copy's addresses as gone", () => {
    const live = { ...converged(), hostLinks: ["lo", "qg-b"] };
    link(live, "qr-a").up = false;
    const seen = observeRouter(live, desired, OWNER)!;
    assert.equal(seen.interfaces[0].up, false);
    assert.deepEqual(seen.interfaces[1].addresses, [], "qg-b's new device is outside; the one inside is dead");
  });

  it("counts our NAT rules once per jump into their chain: none without a jump, twice with two", () => {
    const noJump = converged();
    noJump.namespace!.nat.rules = noJump.namespace!.nat.rules.filter(
      (r) => !(r.chain === "PREROUTING" && r.spec === "-j ovslab-PREROUTING"),
    );
    assert.deepEqual(observeRouter(noJump, desired, OWNER)!.floatingIps, []);
    const twice = converged();
    const jump = twice.namespace!.nat.rules.find(
      (r) => r.chain === "POSTROUTING" && r.spec === "-j ovslab-POSTROUTING",
    )!;
    twice.namespace!.nat.rules.push(jump);
    const snat = observeRouter(twice, desired, OWNER)!.snat;
    assert.equal(snat.length, 3, JSON.stringify(snat)); // declared, then the second run of each rule
  });

  it("shows a floating IP whose SNAT rule back is gone without its interface, so a changed fixed IP is named too", () => {
    const live = converged();
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter(
      (r) => !(r.chain === "ovslab-POSTROUTING" && r.spec.startsWith("-s 10.0.0.6/32")),
    );
    assert.deepEqual(observeRouter(live, desired, OWNER)!.floatingIps, [
      { floatingIp: "172.24.4.10", fixedIp: "10.0.0.6" },
    ]);
    // What refresh records must read back as a valid spec (the interface defaults again).
    assert.equal(routerNamespaceSpec.parse(observeRouter(live, desired, OWNER)).floatingIps[0].interface, "qg-b");
  });
});
