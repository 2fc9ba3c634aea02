import { strict as assert } from "assert";
import { anyValue, flagsValue, integerValue, ipv4Value, ipv6Value, macValue } from "../../../core/openflow/values";

const value = (r: { ok: boolean; value?: string; error?: string }) => (r.ok ? r.value : `ERROR ${r.error}`);

describe("flow values", () => {
  it("reads integers in decimal or hex, applies masks and drops full ones", () => {
    assert.equal(value(integerValue("80", 16)), "0x50");
    assert.equal(value(integerValue("0x50", 16)), "0x50");
    assert.equal(value(integerValue("0x55/0xfff0", 16, { maskable: true })), "0x50/0xfff0");
    assert.equal(value(integerValue("5/0xffff", 16, { maskable: true })), "0x5");
    assert.equal(value(integerValue("65536", 16)), "ERROR must be 0-65535");
    assert.equal(value(integerValue("5/1", 16)), "ERROR takes no mask");
  });

  it("reads IPv4 with prefix or dotted masks, as OVS prints them", () => {
    assert.equal(value(ipv4Value("10.0.0.5/24")), "10.0.0.0/24");
    assert.equal(value(ipv4Value("10.0.0.5/255.255.255.0")), "10.0.0.0/24");
    assert.equal(value(ipv4Value("10.0.0.5/32")), "10.0.0.5");
    assert.equal(value(ipv4Value("10.0.0.5/255.0.255.0")), "10.0.0.0/255.0.255.0");
    assert.match(value(ipv4Value("10.0.0.256"))!, /^ERROR/);
  });

  it("reads IPv6 in its compressed and full forms alike", () => {
    assert.equal(value(ipv6Value("2001:db8::1")), value(ipv6Value("2001:0DB8:0:0:0:0:0:0001")));
    assert.equal(value(ipv6Value("2001:db8::5/64")), value(ipv6Value("2001:db8::/64")));
    assert.equal(value(ipv6Value("::ffff:1.2.3.4")), value(ipv6Value("::ffff:102:304")));
    assert.match(value(ipv6Value("2001:db8::1::2"))!, /^ERROR/);
  });

  it("reads Ethernet addresses in any case and padding", () => {
    assert.equal(value(macValue("0:1:2:3:4:AA")), "00:01:02:03:04:aa");
    assert.equal(value(macValue("01:00:00:00:00:00/01:00:00:00:00:00")), "01:00:00:00:00:00/01:00:00:00:00:00");
  });

  it("reads flags and their numeric form alike", () => {
    const ct = { new: 0x01, est: 0x02, trk: 0x20 };
    assert.equal(value(flagsValue("+trk+est-new", ct, 32)), value(flagsValue("-new+est+trk", ct, 32)));
    assert.equal(value(flagsValue("+trk+est", ct, 32)), value(flagsValue("0x22/0x22", ct, 32)));
    assert.match(value(flagsValue("+bogus", ct, 32))!, /unknown flag "bogus"/);
  });

  it("reads a value of unknown type by its shape", () => {
    assert.equal(anyValue("4101"), anyValue("0x1005"));
    assert.equal(anyValue("00:11:22:33:44:55"), "00:11:22:33:44:55");
    assert.equal(anyValue("10.0.0.1"), "10.0.0.1");
  });
});
