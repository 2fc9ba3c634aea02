// The schema's output: defaults resolved and values written as the host prints them (canonical.ts).
import { strict as assert } from "assert";
import { routerNamespaceSpec } from "../../../../core/schema/router";
import { parseOrThrow } from "../../../../core/validation";
import { problems, qg, qr, seedRouter, withChange } from "./fixture";

describe("routerNamespaceSpec's canonical form", () => {
  it("resolves the defaults into the spec: router sysctls, the SNAT address, the floating IP's interface", () => {
    const spec = parseOrThrow(routerNamespaceSpec, seedRouter, "RouterNamespace");
    assert.deepEqual(spec.sysctls, {
      "net.ipv4.ip_forward": "1",
      "net.ipv4.conf.all.promote_secondaries": "1",
      "net.ipv4.conf.all.arp_ignore": "1",
      "net.ipv4.conf.all.arp_announce": "2",
      "net.ipv4.conf.all.arp_notify": "1",
    });
    assert.deepEqual(spec.snat, [{ interface: "qg-6f7a8b9c-0d", sources: ["10.0.0.0/24"], toSource: "172.24.4.2" }]);
    assert.deepEqual(spec.floatingIps, [
      { floatingIp: "172.24.4.10", fixedIp: "10.0.0.6", interface: "qg-6f7a8b9c-0d" },
    ]);
  });

  it("parses its own output to the same spec, so state written by apply reads back unchanged", () => {
    const once = routerNamespaceSpec.parse(
      withChange({ interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "FD00::1/64"] }, qg] }),
    );
    assert.deepEqual(routerNamespaceSpec.parse(once), once);
  });

  it("turns IPv6 forwarding on when an interface has an IPv6 address, and lets the spec override any sysctl", () => {
    const spec = routerNamespaceSpec.parse(withChange({
      interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "fd00::1/64"] }, qg],
      sysctls: { "net.ipv4.conf.all.arp_ignore": "0", "net.ipv4.ip_local_port_range": "1024   65000" },
    }));
    assert.equal(spec.sysctls["net.ipv6.conf.all.forwarding"], "1");
    assert.equal(spec.sysctls["net.ipv4.conf.all.arp_ignore"], "0");
    assert.equal(spec.sysctls["net.ipv4.ip_local_port_range"], "1024 65000", "spaced as sysctl prints it");
  });

  it("writes addresses and MACs the way `ip` prints them, so they compare equal to the host", () => {
    const spec = routerNamespaceSpec.parse(withChange({
      interfaces: [{ ...qr, addresses: ["10.0.0.1/24", "FD00:0:0::1/64"], mac: "FA:16:3E:AA:BB:CC" }, qg],
      routes: [{ destination: "fd01:0::/64", via: "FD00::FFFF" }, { destination: "default", via: "172.24.4.1" }],
    }));
    assert.deepEqual(spec.interfaces[0].addresses, ["10.0.0.1/24", "fd00::1/64"]);
    assert.equal(spec.interfaces[0].mac, "fa:16:3e:aa:bb:cc");
    assert.deepEqual(spec.routes[0], { destination: "fd01::/64", via: "fd00::ffff" });
  });

  it("accepts an IPv6 default route through an IPv6 gateway, and a route through a device only", () => {
    assert.deepEqual(
      problems(
        withChange({
          interfaces: [qr, { ...qg, addresses: ["172.24.4.2/24", "2001:db8::2/64"] }],
          routes: [
            { destination: "default", via: "172.24.4.1" },
            { destination: "default", via: "2001:db8::1" },
            { destination: "10.5.0.0/16", device: "qr-1a2b3c4d-5e" },
          ],
        }),
      ),
      [],
    );
  });
});
