// `ovslab plan` for real: each example's script runs with bash on a throwaway lab host,
// twice. The first run builds the lab; the second changes nothing; and each resource's own
// provider, reading the host over SSH, finds exactly the spec the program declares.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { LabHost, startLabHost } from "../../lab";
import { call } from "../../providers/entry";
import { splitProps } from "../../providers/props";
import { formatScript } from "../../core/shell";
import { closeAll } from "../../transport/pool";
import { Lab, loadLab } from "../../testing";
import { runCli, REPO } from "./cli";
import { hostState } from "./hostState";

for (const example of ["openstack-aio", "multi-tenant", "vlan-trunk"]) {
  describe(`ovslab plan examples/${example}, run with bash on a throwaway lab host @host`, function () {
    this.timeout(180_000);
    let lab: LabHost;
    let planned: Lab;
    let script: string;
    let afterFirst: string;

    before(async () => {
      const dir = path.join("examples", example);
      const cli = await runCli(["plan", dir]);
      assert.equal(cli.code, 0, cli.stderr);
      script = cli.stdout;
      planned = await loadLab(path.join(REPO, dir));
      lab = await startLabHost();
    });

    after(async () => {
      await closeAll();
      await lab?.stop();
    });

    it("builds the lab from empty and exits 0", async () => {
      const first = await lab.exec(["bash", "-s"], script);
      assert.equal(first.code, 0, `stderr: ${first.stderr}`);
      afterFirst = await hostState(lab);
      for (const r of planned.ofKind("bridge")) assert.ok(afterFirst.includes(`Bridge ${r.spec.name}\n`), `bridge ${r.spec.name} is there`);
    });

    it("changes nothing when it runs a second time", async () => {
      const second = await lab.exec(["bash", "-s"], script);
      assert.equal(second.code, 0, `stderr: ${second.stderr}`);
      assert.equal(await hostState(lab), afterFirst);
    });

    it("leaves the host exactly as each resource's provider reads the program's spec, with nothing to change", async () => {
      for (const r of planned.resources) {
        const props = { ...(r.spec as object), connection: lab.connection, owner: r.owner };
        const read = await call(r.kind, "read", r.id, props);
        assert.equal(read.id, r.id, `${r.type} ${r.name} is on the host`);
        assert.deepEqual(splitProps(read.props).spec, r.spec, `${r.type} ${r.name} as its provider reads it`);
        const diff = await call(r.kind, "diff", r.id, props, props);
        assert.equal(diff.changes, false, `${r.type} ${r.name}: the provider would change nothing`);
      }
    });

    // Every example has a router namespace: `ip netns add` alone fails on a second run.
    it("is a test that can fail: the same steps without their checks fail when run again", async () => {
      const unchecked = planned.resources.flatMap((r) => r.ops.map(({ unless: _check, ...op }) => op));
      const again = await lab.exec(["bash", "-s"], "set -euo pipefail\n" + formatScript(unchecked));
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /exists/);
    });
  });
}
