// Every namespace read as parts side by side (readRoutersInParts): their outputs,
// concatenated, split into the same host and namespace sections as one serial read; parts
// that saw different namespaces (one made or deleted meanwhile) make the read incomplete,
// and no resource takes its namespace from it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { NAMESPACE, SEEN } from "../../../core/compile/router";
import { readNamespace, splitNamespaces } from "../../../core/kinds/shared";

const serial = fs.readFileSync(path.resolve(__dirname, "../../fixtures/adopt/hand-built/namespaces.txt"), "utf8");
const whole = splitNamespaces(serial);
const names = [...whole.namespaces.keys()];

/** What `parts` part commands print for `read` (name -> its sections), each having seen `seen[part]`. */
function partsOutput(read: string[], seen: string[][]): string {
  return seen
    .map((list, part) => {
      const mine = read.filter((_, i) => (i + 1) % seen.length === part);
      const body = mine.map((ns) => `${NAMESPACE}${ns}\n${(whole.namespaces.get(ns) ?? "@@ovslab absent").replace(/\n?$/, "\n")}`).join("");
      return `${part === 0 ? whole.host : ""}${SEEN}${list.map((n) => ` ${n}`).join("")}\n${body}`;
    })
    .join("");
}

describe("splitNamespaces over a read in parts", () => {
  it("gives the host's links and every namespace's sections as the serial read does", () => {
    assert.equal(names.length, 6);
    for (const parts of [1, 2, 4, 8]) {
      const split = splitNamespaces(partsOutput(names, Array(parts).fill(names)));
      assert.equal(split.complete, true, `${parts} parts`);
      assert.equal(split.host, whole.host);
      assert.deepEqual([...split.namespaces.keys()].sort(), [...names].sort());
      for (const ns of names)
        assert.equal(split.namespaces.get(ns)!.trimEnd(), whole.namespaces.get(ns)!.trimEnd(), `${ns}, ${parts} parts`);
    }
  });

  it("is incomplete when the parts saw different namespaces, and no resource takes its namespace from it", () => {
    const later = [...names.slice(0, 2), "vm-new", ...names.slice(2)];
    const shifted = splitNamespaces(partsOutput(later, [names, later, later, later]));
    assert.equal(shifted.complete, false);
    const twice = splitNamespaces(partsOutput(names, [names, names]) + `${NAMESPACE}${names[0]}\n@@ovslab absent\n`);
    assert.equal(twice.complete, false);
    const pick = readNamespace(names[0], [], (text) => text).shared!.pick;
    assert.equal(pick(shifted), undefined);
    assert.match(String(pick(splitNamespaces(partsOutput(names, [names, names])))), /@@ovslab link/);
  });
});
