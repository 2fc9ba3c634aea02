import { strict as assert } from "assert";
import { patchPairSpec } from "../../../core/schema/patchPair";
import { formatProblem, parseOrThrow, validate } from "../../../core/validation";

function problems(input: unknown): string[] {
  const result = validate(patchPairSpec, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}
const seed = { a: { bridge: "br-int", port: "int-br-ex" }, b: { bridge: "br-ex", port: "phy-br-ex" } };

describe("patchPairSpec", () => {
  it("accepts the seed article's pair as it is, adding only each end's peer (the other end's port)", () => {
    assert.deepEqual(parseOrThrow(patchPairSpec, seed, "PatchPair"), {
      a: { ...seed.a, peer: "phy-br-ex" },
      b: { ...seed.b, peer: "int-br-ex" },
    });
  });

  it("always makes each end's peer the other end's port, whatever was given (state written with another name)", () => {
    const parsed = parseOrThrow(patchPairSpec, { a: { ...seed.a, peer: "old" }, b: seed.b }, "PatchPair");
    assert.equal(parsed.a.peer, "phy-br-ex");
  });

  it("accepts a tag or trunks on either end", () => {
    assert.deepEqual(problems({ a: { ...seed.a, tag: 5 }, b: { ...seed.b, trunks: [1, 2, 3] } }), []);
  });

  const rejected: Array<[string, unknown, string[]]> = [
    [
      "two ends with one name",
      { a: seed.a, b: { bridge: "br-ex", port: "int-br-ex" } },
      ["b.port: is also a.port; the two ends need two names"],
    ],
    [
      "two ends on one bridge",
      { a: seed.a, b: { bridge: "br-int", port: "phy-br-ex" } },
      ["b.bridge: is also a.bridge; a patch pair joins two different bridges"],
    ],
    ["a tag over 4095", { a: { ...seed.a, tag: 4096 }, b: seed.b }, ["a.tag: must be 0-4095"]],
    [
      "a trunk listed twice",
      { a: seed.a, b: { ...seed.b, trunks: [1, 1] } },
      ["b.trunks: lists VLAN 1 more than once"],
    ],
    [
      "a port name over 15 bytes",
      { a: { ...seed.a, port: "int-br-ex-way-too-long" }, b: seed.b },
      ["a.port: must be 1-15 bytes (a Linux interface name)"],
    ],
    [
      "a port name with a shell character",
      { a: seed.a, b: { ...seed.b, port: "p;reboot" } },
      ["b.port: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'"],
    ],
    [
      "a port named like its own bridge",
      { a: { bridge: "br-int", port: "br-int" }, b: seed.b },
      ["a.port: is the bridge's own internal port, which OVS creates"],
    ],
    [
      "a port named like the other bridge",
      { a: { bridge: "br-int", port: "br-ex" }, b: seed.b },
      ["a.port: is b.bridge's own internal port"],
    ],
    ["a missing end", { a: seed.a }, ["b: Invalid input: expected object, received undefined"]],
    ["an unknown field", { ...seed, peer: "x" }, ["peer: unknown field"]],
  ];
  for (const [what, input, expected] of rejected) {
    it(`rejects ${what}`, () => assert.deepEqual(problems(input), expected));
  }
});
