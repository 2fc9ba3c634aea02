import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
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

  it("keeps a directory name with a newline inside its comment line", async () => {
    const lab = await loadLab(() => new Bridge("br0", { connection }), { project: "p", stack: "s" });
    const text = lab.script("labs/two\nrm -rf /");
    assert.ok(text.includes("# ovslab plan: project p, stack s, from labs/two\\nrm -rf /.\n"), text.slice(0, 200));
    assert.deepEqual(text.split("\n").filter((l) => l.startsWith("rm ")), []);
    execFileSync("bash", ["-n"], { input: text });
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
    // The namespace is made by the batch that moves its device in: skipped once the device is there.
    assert.match(
      script,
      /^sh -c 'ns=\$1; shift; for dev; do ip -n "\$ns" link show dev "\$dev" \|\| exit; done' sh qrouter-1 qr-1 >\/dev\/null 2>&1 \|\| ip -batch - <<'OVSLAB_EOF'\nnetns add qrouter-1\nlink set dev qr-1 netns qrouter-1\n/m,
    );
    assert.match(
      script,
      /^nsenter --net=\/var\/run\/netns\/qrouter-1 iptables -w -t nat -C POSTROUTING -j ovslab-POSTROUTING >\/dev\/null 2>&1 \|\| nsenter --net=\/var\/run\/netns\/qrouter-1 iptables-restore --noflush -w <<'OVSLAB_EOF'$/m,
    );
    assert.match(script, /^address replace 10\.0\.0\.1\/24 dev qr-1$/m, "replace, not add: idempotent by itself");
    assert.doesNotMatch(script, /^address add /m);
  });

  describe("for a program spanning hosts", () => {
    let lab: Awaited<ReturnType<typeof loadLab>>;
    before(async () => {
      lab = await loadLab(() => {
        for (const host of ["node-a", "node-b"]) {
          const br = new Bridge(`${host}-br-int`, { connection: { host }, name: "br-int" });
          const flows = [{ priority: 1, actions: "NORMAL" }];
          new FlowTable(`${host}-flows`, { connection: { host }, bridge: br.name, flows });
        }
        new Bridge("b-br-ex", { connection: { host: "node-b", port: 2222 }, name: "br-ex" });
      }, { project: "p", stack: "s" });
    });

    it("has a section per host, each with only that host's resources, in a shell function", () => {
      const text = lab.script();
      execFileSync("bash", ["-n"], { input: text });
      const sections = text.split(/^# ======== /m).slice(1).map((s) => [s.split("\n")[0], s.match(/^# ==== .*$/gm)]);
      assert.deepEqual(sections, [
        [
          "host root@node-a:22: 2 resources ========",
          ['# ==== Bridge "node-a-br-int": br-int ====', sections[0][1]![1]],
        ],
        [
          "host root@node-b:22: 2 resources ========",
          ['# ==== Bridge "node-b-br-int": br-int ====', sections[1][1]![1]],
        ],
        ["host root@node-b:2222: 1 resource ========", ['# ==== Bridge "b-br-ex": br-ex ====']],
      ]);
      assert.match(sections[0][1]![1], /^# ==== FlowTable "node-a-flows": /);
    });

    it("runs the section of the host its argument names, by its full name or a host name no other shares", () => {
      assert.match(
        lab.script(),
        /^case "\$\{1:-\}" in\n {2}node-a\|root@node-a:22\) host_1 ;;\n {2}root@node-b:22\) host_2 ;;\n {2}root@node-b:2222\) host_3 ;;\n/m,
      );
    });

    it("refuses to run without a host, saying which, before any step", () => {
      // Every section exits 99 at once: a run that reached one would say so.
      const input = lab.script().replace(/^(host_\d\(\) \{)$/gm, "$1\nexit 99");
      const run = spawnSync("bash", ["-s"], { input, encoding: "utf8" });
      assert.equal(run.status, 2);
      assert.equal(run.stderr, "usage: bash HOST, one of: node-a root@node-b:22 root@node-b:2222\n");
    });

    it("prints one host's script alone, and names the lab's hosts for a host it does not have", () => {
      const one = lab.script(undefined, "root@node-b:2222");
      assert.deepEqual(one.match(/^# ==== .*$/gm), ['# ==== Bridge "b-br-ex": br-ex ====']);
      assert.doesNotMatch(one, /^case /m);
      assert.throws(
        () => lab.script(undefined, "node-b"),
        /no resource of this lab is on host "node-b" \(hosts: root@node-a:22, root@node-b:22, root@node-b:2222\)/,
      );
    });
  });
});
