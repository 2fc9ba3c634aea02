// The router's NAT chains as planRouter rewrites them (core/plan/router/nat.ts).
import { strict as assert } from "assert";
import { planRouter } from "../../../../core/plan/router";
import { converged, desired, OWNER } from "./fixture";

describe("planRouter's NAT chains", () => {
  it("rewrites our NAT chains atomically when the SNAT rule is flushed, naming no other chain", () => {
    const live = converged();
    live.namespace!.nat.rules = live.namespace!.nat.rules.filter((r) => r.chain !== "ovslab-POSTROUTING");
    const [op, ...rest] = planRouter(desired, live, OWNER);
    assert.equal(rest.length, 0);
    assert.deepEqual(op.argv, ["nsenter", "--net=/var/run/netns/qrouter-1", "iptables-restore", "--noflush", "-w"]);
    assert.deepEqual(op.stdin!.split("\n"), [
      "*nat",
      ":ovslab-PREROUTING - [0:0]",
      ":ovslab-OUTPUT - [0:0]",
      ":ovslab-POSTROUTING - [0:0]",
      "-A ovslab-PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
      "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
      "-A ovslab-POSTROUTING -s 10.0.0.6/32 -o qg-b -j SNAT --to-source 172.24.4.10",
      "-A ovslab-POSTROUTING -s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
      "COMMIT",
      "",
    ]);
    assert.ok(
      !op.stdin!.includes("hand-made"),
      "the hand-made chain and its jump are not named, so --noflush keeps them",
    );
  });

  it("restores a lost jump and removes a doubled one", () => {
    const live = converged();
    const nat = live.namespace!.nat;
    nat.rules = nat.rules.filter((r) => !(r.chain === "OUTPUT" && r.spec === "-j ovslab-OUTPUT"));
    nat.rules.push({ chain: "PREROUTING", spec: "-j ovslab-PREROUTING" });
    const stdin = planRouter(desired, live, OWNER)[0].stdin!;
    assert.ok(stdin.includes("-I OUTPUT 1 -j ovslab-OUTPUT\n"));
    assert.ok(stdin.includes("-D PREROUTING -j ovslab-PREROUTING\n"));
    assert.ok(!stdin.includes("POSTROUTING 1"));
  });
});
