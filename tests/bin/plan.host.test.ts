// `ovslab plan` for real: each example's script runs with bash on a throwaway lab host,
// twice. The first run builds the lab; the second changes nothing; and each resource's own
// provider, reading the host over SSH, finds exactly the spec the program declares.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { LabHost, startLabHost } from "../../lab";
import { MultiHostLab, startLabHosts } from "../../lab/multihost";
import { broken, formatPingResults, HostPingRow, runHostPingMatrix } from "../../lab/ping";
import { multinodeHostNames } from "../../engine/multinode";
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
      for (const r of planned.ofKind("bridge"))
        assert.ok(afterFirst.includes(`Bridge ${r.spec.name}\n`), `bridge ${r.spec.name} is there`);
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

describe("ovslab plan examples/openstack-multinode, each host's section run with bash on three lab hosts @host", function () {
  this.timeout(300_000);
  const names = multinodeHostNames(2);
  let lab: MultiHostLab;
  let planned: Lab;
  let script: string;
  /** `network` for the program's `root@network:22` (its connection defaults to the host's name). */
  const hostOf = (r: { host: string }) => r.host.replace(/^root@|:22$/g, "");

  before(async () => {
    const cli = await runCli(["plan", "examples/openstack-multinode"]);
    assert.equal(cli.code, 0, cli.stderr);
    script = cli.stdout;
    planned = await loadLab(path.join(REPO, "examples", "openstack-multinode"));
    lab = await startLabHosts({ names });
  });

  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("refuses to run without a host name, and changes nothing", async () => {
    const before = await hostState(lab.hosts.network);
    const run = await lab.hosts.network.exec(["bash", "-s"], script);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^usage: bash HOST, one of: network compute-1 compute-2$/m);
    assert.equal(await hostState(lab.hosts.network), before);
  });

  it("builds each host from its own section, and the ping matrix holds across the tunnels", async () => {
    for (const name of names) {
      const run = await lab.hosts[name].exec(["bash", "-s", "--", name], script);
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
    }
    const rows = planned.outputs.pingMatrix as HostPingRow[];
    const results = await runHostPingMatrix(rows, async (on, argv) => (await lab.hosts[on].exec(argv)).code);
    assert.deepEqual(broken(results), [], formatPingResults(results));
  });

  it("changes nothing on any host when each section runs a second time", async () => {
    for (const name of names) {
      const first = await hostState(lab.hosts[name]);
      const again = await lab.hosts[name].exec(["bash", "-s", "--", name], script);
      assert.equal(again.code, 0, `${name}: ${again.stderr}`);
      assert.equal(await hostState(lab.hosts[name]), first, name);
    }
  });

  it("leaves every host as its resources' providers read the program's specs, with nothing to change", async () => {
    assert.deepEqual([...new Set(planned.resources.map(hostOf))], names);
    for (const r of planned.resources) {
      const props = { ...(r.spec as object), connection: lab.hosts[hostOf(r)].connection, owner: r.owner };
      const read = await call(r.kind, "read", r.id, props);
      const what = `${r.type} ${r.name} on ${hostOf(r)}`;
      assert.deepEqual(splitProps(read.props).spec, r.spec, `${what} as its provider reads it`);
      const diff = await call(r.kind, "diff", r.id, props, props);
      assert.equal(diff.changes, false, `${what}: the provider would change nothing`);
    }
  });
});
