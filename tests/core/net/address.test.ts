import { strict as assert } from "assert";
import {
  broadcastOf,
  contains,
  formatCidr,
  formatIp,
  isNetworkAddress,
  networkOf,
  parseCidr,
  parseIp,
} from "../../../core/net/address";

const ip = (text: string) => {
  const parsed = parseIp(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
};
const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
};

describe("addresses", () => {
  it("prints IPv6 the way `ip` (glibc inet_ntop) prints it", () => {
    const rows: Array<[string, string]> = [
      ["FD00:0:0::1", "fd00::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first of two equal runs
      ["2001:0db8:0000:0001:0000:0000:0000:0001", "2001:db8:0:1::1"], // the longest run
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group stays
      ["::", "::"],
      ["::1", "::1"],
      ["fe80::", "fe80::"],
      ["::ffff:10.0.0.1", "::ffff:10.0.0.1"],
      ["::ffff:a00:1", "::ffff:10.0.0.1"],
    ];
    for (const [input, printed] of rows) assert.equal(formatIp(ip(input)), printed, input);
  });

  it("rejects what is not an address", () => {
    for (const bad of [
      "10.0.0",
      "10.0.0.256",
      "10.0.0.01",
      "1.2.3.4.5",
      "fd00:::1",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "g::1",
      ":1",
      "",
      "10.0.0.1/24",
    ]) {
      assert.equal(parseIp(bad), undefined, bad);
    }
  });

  it("parses prefixes within the family's range only", () => {
    assert.equal(formatCidr(cidr("10.0.0.1/24")), "10.0.0.1/24");
    assert.equal(formatCidr(cidr("fd00:0::1/64")), "fd00::1/64");
    for (const bad of ["10.0.0.1/33", "fd00::1/129", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/08", "10.0.0.1"])
      assert.equal(parseCidr(bad), undefined, bad);
  });

  it("knows subnets, network and broadcast addresses", () => {
    assert.equal(formatCidr(networkOf(cidr("10.0.0.77/24"))), "10.0.0.0/24");
    assert.equal(formatCidr(networkOf(cidr("fd00::1:2/112"))), "fd00::1:0/112");
    assert.ok(contains(cidr("10.0.0.1/24"), ip("10.0.0.200")));
    assert.ok(!contains(cidr("10.0.0.1/24"), ip("10.0.1.1")));
    assert.ok(!contains(cidr("10.0.0.1/24"), ip("fd00::1")));
    assert.ok(isNetworkAddress(cidr("10.0.0.0/24")) && !isNetworkAddress(cidr("10.0.0.1/24")));
    assert.equal(formatIp(broadcastOf(cidr("172.24.4.0/24"))!), "172.24.4.255");
    assert.equal(broadcastOf(cidr("10.0.0.0/31")), undefined);
  });
});
