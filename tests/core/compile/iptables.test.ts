import { strict as assert } from "assert";
import { dnatRule, floatSnatRule, formatRule, jumpRule, restoreNat, snatRule } from "../../../core/compile/iptables";
import { formatCommand } from "../../../core/shell";

describe("compile/iptables", () => {
  it("writes rules as iptables-save prints them: -s -d -o -j order, hosts as /32", () => {
    assert.equal(
      formatRule(snatRule("10.0.0.0/24", "qg-b", "172.24.4.2")),
      "-A ovslab-POSTROUTING -s 10.0.0.0/24 -o qg-b -j SNAT --to-source 172.24.4.2",
    );
    assert.equal(
      formatRule(dnatRule("PREROUTING", "172.24.4.10", "10.0.0.6")),
      "-A ovslab-PREROUTING -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
    );
    assert.equal(
      formatRule(dnatRule("OUTPUT", "172.24.4.10", "10.0.0.6")),
      "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
    );
    assert.equal(
      formatRule(floatSnatRule("10.0.0.6", "qg-b", "172.24.4.10")),
      "-A ovslab-POSTROUTING -s 10.0.0.6/32 -o qg-b -j SNAT --to-source 172.24.4.10",
    );
    assert.equal(formatRule(jumpRule("OUTPUT")), "-A OUTPUT -j ovslab-OUTPUT");
  });

  it("leaves out -s for 0.0.0.0/0, as iptables-save does", () => {
    assert.equal(snatRule("0.0.0.0/0", "qg-b", "172.24.4.2").spec, "-o qg-b -j SNAT --to-source 172.24.4.2");
  });

  it("applies a table atomically with iptables-restore --noflush -w inside the namespace", () => {
    const op = restoreNat(
      "qrouter-1",
      [":ovslab-OUTPUT - [0:0]", "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6"],
      "nat",
    );
    assert.equal(formatCommand(op!), [
      "nsenter --net=/var/run/netns/qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'",
      "*nat",
      ":ovslab-OUTPUT - [0:0]",
      "-A ovslab-OUTPUT -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.6",
      "COMMIT",
      "OVSLAB_EOF",
    ].join("\n"));
    assert.equal(restoreNat("qrouter-1", [], "nothing"), undefined);
  });
});
