import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parseIptablesSave, rulesOf } from "../../../core/live/iptables";

const fixture = (name: string) => readFileSync(join(__dirname, "../../fixtures/iptables", name), "utf8");

describe("live/iptables (real iptables-save -t nat output)", () => {
  it("reads chains, policies and rules in the host's order", () => {
    const nat = parseIptablesSave(fixture("nat-router.txt"), "nat");
    assert.deepEqual(
      nat.chains.map((c) => `${c.name}:${c.policy ?? "-"}`),
      [
        "PREROUTING:ACCEPT",
        "INPUT:ACCEPT",
        "OUTPUT:ACCEPT",
        "POSTROUTING:ACCEPT",
        "hand-made:-",
        "ovslab-OUTPUT:-",
        "ovslab-POSTROUTING:-",
        "ovslab-PREROUTING:-",
      ],
    );
    assert.deepEqual(rulesOf(nat, "POSTROUTING"), ["-j ovslab-POSTROUTING", "-o qg-b -j hand-made"]);
    assert.deepEqual(rulesOf(nat, "ovslab-POSTROUTING"), [
      "-s 10.0.0.6/32 -o qg-b -j SNAT --to-source 172.24.4.10",
      "-s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
    ]);
    assert.deepEqual(rulesOf(nat, "hand-made"), ["-d 1.2.3.4/32 -j ACCEPT"]);
  });

  it("reads a namespace's untouched nat table as built-in chains without rules", () => {
    const nat = parseIptablesSave(fixture("nat-empty.txt"), "nat");
    assert.equal(nat.chains.length, 4);
    assert.deepEqual(nat.rules, []);
  });

  it("ignores other tables and reads a missing table as empty", () => {
    const text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n";
    assert.deepEqual(parseIptablesSave(text, "nat"), { chains: [], rules: [] });
  });

  it("refuses a line it does not understand rather than guess", () => {
    assert.throws(() => parseIptablesSave("*nat\n-I POSTROUTING 1 -j X\nCOMMIT\n", "nat"), /unexpected line/);
  });
});
