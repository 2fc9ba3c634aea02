import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { Bridge, FlowTable, RouterNamespace } from "../../sdk";
import { loadLab } from "../../testing";

const connection = { host: "192.0.2.7" };

describe("Lab.script (what `ovslab plan` prints)", function () {
  this.timeout(60_000);
  let script: string;
  before(async () => {
    const lab = await loadLab(() => {
      const br = new Bridge("br-int", { connection, ports: [{ name: "vm1", type: "internal", tag: 5 }] });
      new FlowTable("flows", { connection, bridge: br.name, flows: [{ priority: 1, actions: "NORMAL" }] });
      new RouterNamespace("qrouter-1", {
        connection,
        interfaces: [{ name: "qr-1", bridge: br.name, tag: 5, addresses: ["10.0.0.1/24"] }],
        snat: [{ interface: "qr-1", sources: ["10.0.0.0/24"] }],
      });
    }, { project: "p", stack: "s" });
    script = lab.script("labs/one");
  });

  it("starts as a strict bash script that says what it builds", () => {
    assert.ok(script.startsWith("#!/usr/bin/env bash\n# ovslab plan: project p, stack s, from labs/one.\n"));
    assert.match(script, /^set -euo pipefail$/m);
    execFileSync("bash", ["-n"], { input: script });
  });

  it("has a section per resource, in creation order, each step under its reason", () => {
    const sections = script.split("\n").filter((l) => l.startsWith("# ==== "));
    assert.deepEqual(sections, ['# ==== Bridge "br-int" ====', '# ==== RouterNamespace "qrouter-1" ====', sections[2]]);
    assert.match(sections[2], /^# ==== FlowTable "flows": br-int\/cookie=0x6f76[0-9a-f]+ ====$/);
    assert.match(
      script,
      /# create bridge br-int\novs-vsctl --may-exist add-br br-int \\\n  -- set Bridge br-int external_ids:ovslab-owner=p\/s\/Bridge\/br-int/,
    );
  });

  it("guards the steps that would fail or double on a second run with a check of their own", () => {
    assert.match(script, /^test -e \/var\/run\/netns\/qrouter-1 >\/dev\/null 2>&1 \|\| ip netns add qrouter-1$/m);
    assert.match(
      script,
      /^sh -c 'ns=\$1; shift; for dev; do ip -n "\$ns" link show dev "\$dev" \|\| exit; done' sh qrouter-1 qr-1 >\/dev\/null 2>&1 \|\| ip -batch - <<'OVSLAB_EOF'$/m,
    );
    assert.match(
      script,
      /^ip netns exec qrouter-1 iptables -w -t nat -C POSTROUTING -j ovslab-POSTROUTING >\/dev\/null 2>&1 \|\| ip netns exec qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'$/m,
    );
    assert.match(script, /^address replace 10\.0\.0\.1\/24 dev qr-1$/m, "replace, not add: idempotent by itself");
    assert.doesNotMatch(script, /^address add /m);
  });
});
