import { strict as assert } from "assert";
import {
  cookieOf,
  derivedCookie,
  DERIVED_COOKIE_PREFIX,
  formatCookie,
  parseCookie,
} from "../../../core/openflow/cookie";

describe("derivedCookie", () => {
  it("is stable: the same resource always gets the same cookie (pinned, so a change of formula is caught)", () => {
    assert.equal(derivedCookie("FlowRule", "lab/dev/strip-vlan-1"), derivedCookie("FlowRule", "lab/dev/strip-vlan-1"));
    assert.equal(derivedCookie("FlowRule", "lab/dev/strip-vlan-1"), "0x6f76e5b9f9ecb492");
  });

  it("differs per resource name, stack, project and kind", () => {
    const cookies = [
      derivedCookie("FlowRule", "lab/dev/a"),
      derivedCookie("FlowRule", "lab/dev/b"),
      derivedCookie("FlowRule", "lab/prod/a"),
      derivedCookie("FlowRule", "lab2/dev/a"),
      derivedCookie("FlowTable", "lab/dev/a"),
    ];
    assert.equal(new Set(cookies).size, cookies.length);
  });

  it("starts with 0x6f76 (\"ov\") and is never 0 or all-ones, over many owners", () => {
    for (let i = 0; i < 2000; i++) {
      const cookie = BigInt(derivedCookie("FlowRule", `lab/dev/rule-${i}`));
      assert.equal(cookie >> 48n, DERIVED_COOKIE_PREFIX);
      assert.notEqual(cookie, 0n);
      assert.notEqual(cookie, (1n << 64n) - 1n);
    }
  });

  it("has no collision among 20000 resources of one stack", () => {
    const seen = new Set(Array.from({ length: 20000 }, (_, i) => derivedCookie("FlowRule", `lab/dev/rule-${i}`)));
    assert.equal(seen.size, 20000);
  });
});

describe("cookieOf", () => {
  it("uses the explicit cookie, printed as OVS prints cookies", () => {
    assert.equal(cookieOf({ cookie: "0x00AB" }, "FlowRule", "lab/dev/x"), "0xab");
    assert.equal(cookieOf({ cookie: "255" }, "FlowRule", "lab/dev/x"), "0xff");
  });

  it("derives one when none is given", () => {
    assert.equal(cookieOf({}, "FlowRule", "lab/dev/x"), derivedCookie("FlowRule", "lab/dev/x"));
  });

  it("reads 0x-hex and decimal up to 64 bits and nothing else", () => {
    assert.equal(parseCookie("0xffffffffffffffff"), (1n << 64n) - 1n);
    assert.equal(parseCookie("18446744073709551616"), undefined);
    assert.equal(parseCookie("0x1ffffffffffffffff"), undefined);
    assert.equal(parseCookie("-1"), undefined);
    assert.equal(formatCookie(0x1234n), "0x1234");
  });
});
