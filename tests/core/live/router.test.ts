import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parseNamespace, parseSysctl } from "../../../core/live/router";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/router", name), "utf8");

describe("live/router parseNamespace (real output of compile/router readRouter)", () => {
  it("reads a missing namespace as undefined", () => {
    assert.equal(parseNamespace("qrouter-1", fixture("read-absent.txt")), undefined);
  });

  it("reads a fresh namespace: lo down and unmarked, forwarding off, an empty nat table", () => {
    const ns = parseNamespace("qrouter-1", fixture("read-fresh.txt"))!;
    assert.deepEqual(ns.links.map((l) => [l.name, l.up, l.alias]), [["lo", false, undefined]]);
    assert.equal(ns.sysctls["net.ipv4.ip_forward"], "0");
    assert.deepEqual(ns.routes, []);
    assert.deepEqual(ns.nat.rules, []);
  });

  it("reads a built router: links, both route families, sysctls, nat rules", () => {
    const ns = parseNamespace("qrouter-1", fixture("read-router.txt"))!;
    assert.deepEqual(ns.links.map((l) => l.name), ["lo", "qr-a", "qg-b"]);
    assert.equal(ns.routes.filter((r) => r.family === 4).length, 5);
    assert.equal(ns.routes.filter((r) => r.family === 6).length, 5);
    assert.deepEqual(ns.sysctls, {
      "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.promote_secondaries": "1", "net.ipv4.conf.all.arp_ignore": "1",
      "net.ipv4.conf.all.arp_announce": "2", "net.ipv4.conf.all.arp_notify": "1", "net.ipv6.conf.all.forwarding": "1",
    });
    assert.equal(ns.nat.rules.length, 9);
  });

  it("says which section is missing when the output is cut short", () => {
    const cut = fixture("read-router.txt").split("@@ovslab sysctl")[0];
    assert.throws(() => parseNamespace("qrouter-1", cut), /lacks section\(s\) sysctl, nat/);
  });

  it("takes the nat table it is given for a read made without it, and only then", () => {
    const full = parseNamespace("qrouter-1", fixture("read-router.txt"))!;
    const withoutNat = fixture("read-router.txt").split("@@ovslab nat")[0];
    assert.throws(() => parseNamespace("qrouter-1", withoutNat), /lacks section\(s\) nat/);
    const kept = parseNamespace("qrouter-1", withoutNat, full.nat)!;
    assert.equal(kept.nat, full.nat);
    assert.deepEqual(kept.links, full.links);
    // A read that has its nat section reads it, whatever it is given.
    const empty = parseNamespace("qrouter-1", fixture("read-fresh.txt"))!.nat;
    assert.equal(parseNamespace("qrouter-1", fixture("read-router.txt"), empty)!.nat.rules.length, 9);
  });

  it("says so when ip's batch printed other than its two answers (links, routes)", () => {
    const oneAnswer = fixture("read-router.txt").replace(/^(@@ovslab ip\n.*\n).*\n/m, "$1");
    assert.throws(() => parseNamespace("qrouter-1", oneAnswer), /ip printed 1 JSON line\(s\), not 2 \(links, routes\)/);
  });

  it("keeps a multi-value sysctl's words, single-spaced", () => {
    assert.deepEqual(parseSysctl("net.ipv4.ip_local_port_range = 32768\t60999\n"), {
      "net.ipv4.ip_local_port_range": "32768 60999",
    });
  });

  it("reads a trunk router's VLAN devices and the kernel routes of their subnets", () => {
    const ns = parseNamespace("vlan-gw", fixture("read-vlan.txt"))!;
    assert.deepEqual(
      ns.links.filter((l) => l.vlan).map((l) => `${l.name} ${l.vlan!.parent}:${l.vlan!.id} ${l.up}`),
      ["gw.10 gw:10 true", "gw.20 gw:20 true"],
    );
    assert.deepEqual(ns.routes.filter((r) => r.family === 4).map((r) => `${r.destination} ${r.device} ${r.protocol}`), [
      "10.0.10.0/24 gw.10 kernel", "10.0.20.0/24 gw.20 kernel",
    ]);
  });
});
