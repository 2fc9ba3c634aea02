import { strict as assert } from "assert";
import { bridgeSpec } from "../../../core/schema/bridge";
import { formatProblem, parseOrThrow, validate, ValidationError } from "../../../core/validation";

function problems(input: unknown): string[] {
  const result = validate(bridgeSpec, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("bridgeSpec", () => {
  it("fills OVS's own defaults for a minimal bridge", () => {
    const spec = parseOrThrow(bridgeSpec, { name: "br-int" }, "Bridge");
    assert.deepEqual(spec, {
      name: "br-int",
      failMode: "standalone",
      datapathType: "system",
      protocols: [],
      externalIds: {},
      otherConfig: {},
      ports: [],
    });
  });

  it("accepts the seed article's br-int", () => {
    const spec = parseOrThrow(bridgeSpec, {
      name: "br-int", failMode: "secure", datapathType: "netdev",
      ports: [
        { name: "foo", type: "internal", tag: 4 },
        { name: "int-br-ex", type: "patch", options: { peer: "phy-br-ex" } },
      ],
    }, "Bridge");
    assert.equal(spec.ports[1].options.peer, "phy-br-ex");
    assert.equal(spec.ports[0].type, "internal");
  });

  const rejected: Array<[string, unknown, string]> = [
    ["a name over 15 bytes", { name: "br-0123456789abc" }, "name: must be 1-15 bytes (a Linux interface name)"],
    ["an empty name", { name: "" }, "name: must be 1-15 bytes (a Linux interface name)"],
    [
      "a name with a slash",
      { name: "br/int" },
      "name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'",
    ],
    ["a name with a space", { name: "br int" }, "name: may contain only letters"],
    ["a name with a quote", { name: "br'int" }, "name: may contain only letters"],
    ["a name with a semicolon", { name: "br;reboot" }, "name: may contain only letters"],
    ["a name with a command substitution", { name: "$(reboot)" }, "name: may contain only letters"],
    [
      "a port name with a command substitution",
      { name: "br0", ports: [{ name: "p$(id)" }] },
      "ports[0].name: may contain only letters",
    ],
    ["a tag over 4095", { name: "br0", ports: [{ name: "p1", tag: 4096 }] }, "ports[0].tag: must be 0-4095"],
    ["a negative tag", { name: "br0", ports: [{ name: "p1", tag: -1 }] }, "ports[0].tag: must be 0-4095"],
    ["a fractional tag", { name: "br0", ports: [{ name: "p1", tag: 1.5 }] }, "ports[0].tag: must be a whole number"],
    [
      "a trunk over 4095",
      { name: "br0", ports: [{ name: "p1", trunks: [1, 5000] }] },
      "ports[0].trunks[1]: must be 0-4095",
    ],
    ["an unknown failMode", { name: "br0", failMode: "closed" }, "failMode: must be one of secure, standalone"],
    [
      "duplicate port names",
      { name: "br0", ports: [{ name: "p1" }, { name: "p1" }] },
      'ports[1].name: duplicates port "p1"',
    ],
    [
      "a patch port without a peer",
      { name: "br0", ports: [{ name: "p1", type: "patch" }] },
      "ports[0].options.peer: is required for a patch port",
    ],
    [
      "the reserved ownership key",
      { name: "br0", externalIds: { "ovslab-owner": "x" } },
      "externalIds.ovslab-owner: is reserved",
    ],
    [
      "an unknown port type",
      { name: "br0", ports: [{ name: "p1", type: "bond" }] },
      "ports[0].type: must be one of system, internal, patch",
    ],
    ["an unknown field", { name: "br0", fail_mode: "secure" }, "Unrecognized key"],
    [
      "a port named like the bridge",
      { name: "br0", ports: [{ name: "br0" }] },
      "ports[0].name: is the bridge's own internal port",
    ],
    [
      "a newline in an external id",
      { name: "br0", externalIds: { a: "x\ny" } },
      "externalIds.a: values may not contain control characters",
    ],
  ];
  for (const [what, input, message] of rejected) {
    it(`rejects ${what}, naming the field and the rule`, () => {
      const found = problems(input);
      assert.ok(found.some((m) => m.startsWith(message)), `expected "${message}" in ${JSON.stringify(found)}`);
    });
  }

  it("reports every problem at once, not only the first", () => {
    const found = problems({ name: "x".repeat(16), ports: [{ name: "a;b", tag: 9999 }] });
    assert.equal(found.length, 3, JSON.stringify(found));
  });

  it("throws a ValidationError whose message lists each problem under its subject", () => {
    assert.throws(
      () => parseOrThrow(bridgeSpec, { name: "br0", ports: [{ name: "p1", tag: 5000 }] }, 'Bridge "lab"'),
      (e: unknown) =>
        e instanceof ValidationError && e.message === 'invalid Bridge "lab":\n  ports[0].tag: must be 0-4095',
    );
  });

  it("sorts trunks, since OVS stores them as a set", () => {
    const spec = parseOrThrow(bridgeSpec, { name: "br0", ports: [{ name: "p1", trunks: [30, 10, 20] }] }, "Bridge");
    assert.deepEqual(spec.ports[0].trunks, [10, 20, 30]);
  });
});

describe("bridgeSpec with fields of the wrong type", () => {
  it("still reports the cross-field rules it can, and does not crash", () => {
    const found = problems({ name: "br0", externalIds: "nope", ports: [{ name: "a" }, { name: "a", tag: "x" }] });
    assert.ok(found.some((m) => m.startsWith("externalIds:")), JSON.stringify(found));
    assert.ok(found.some((m) => m === 'ports[1].name: duplicates port "a"'), JSON.stringify(found));
  });
});
