import { strict as assert } from "node:assert";
import { overlaps, readScope, writeScopes } from "../../../core/kinds/scopes";

const op = (...argv: string[]) => ({ argv, why: "test" });

describe("scopes", () => {
  it("names what each read depends on: OVSDB, one bridge's flows, one namespace, or nothing (OVS judging text)", () => {
    assert.equal(readScope(op("ovs-vsctl", "--format=json", "list", "Bridge")), "ovsdb");
    assert.equal(
      readScope(op("ovs-ofctl", "-O", "OpenFlow14", "--no-stats", "dump-flows", "br-int", "table=0")),
      "flows:br-int",
    );
    assert.equal(readScope(op("ovs-ofctl", "-O", "OpenFlow14", "parse-flows", "-")), "pure");
    assert.equal(readScope(op("ip", "-n", "qr1", "-json", "link", "show")), "netns:qr1");
    assert.equal(readScope(op("sh", "-c", "anything")), "*");
  });

  it("names what each write changes, a vsctl write taking every bridge's flows and namespace reads (host links) with OVSDB", () => {
    assert.deepEqual(writeScopes(op("ovs-vsctl", "set", "Bridge", "br0", "fail_mode=secure")), [
      "ovsdb",
      "flows:*",
      "netns:*",
    ]);
    assert.deepEqual(writeScopes(op("ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br-ex", "-")), [
      "flows:br-ex",
    ]);
    assert.deepEqual(writeScopes(op("ip", "netns", "add", "qr1")), ["netns:qr1"]);
    assert.deepEqual(writeScopes(op("ip", "netns", "exec", "qr1", "iptables-restore", "--noflush", "-w")), [
      "netns:qr1",
    ]);
    assert.deepEqual(writeScopes(op("nsenter", "--net=/var/run/netns/qr1", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")), [
      "netns:qr1",
    ]);
    assert.deepEqual(writeScopes(op("nsenter", "--mount=/proc/1/ns/mnt", "rm", "-rf", "/x")), ["*"]);
    assert.deepEqual(writeScopes(op("ip", "-n", "qr1", "-batch", "-")), ["netns:qr1"]);
    assert.deepEqual(writeScopes(op("ip", "-batch", "-")), ["netns:*", "ovsdb"]);
    assert.deepEqual(writeScopes(op("rm", "-rf", "/x")), ["*"]);
  });

  it("makes a read stale only when a write overlaps it; text judged by OVS never goes stale", () => {
    assert.ok(overlaps("flows:br0", "flows:*"));
    assert.ok(overlaps("netns:*", "netns:qr1"));
    assert.ok(overlaps("ovsdb", "*"));
    assert.ok(overlaps("*", "netns:qr1"));
    assert.ok(!overlaps("flows:br0", "flows:br1"));
    assert.ok(!overlaps("netns:qr1", "netns:qr2"));
    assert.ok(!overlaps("ovsdb", "netns:*"));
    assert.ok(!overlaps("pure", "*"));
  });
});
