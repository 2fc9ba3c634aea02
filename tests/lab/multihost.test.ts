import * as assert from "assert";
import * as fs from "fs";
import { MultiHostLab, PHYSICAL_BRIDGE, startLabHosts } from "../../lab/multihost";
import { namespaceId } from "../../lab/procs";
import { machineNetworkState, waitForProcEntriesGone } from "./machine";

/** Every network namespace some process of this machine is in right now, as `dev:inode`. */
function liveNetNamespaces(): Set<string> {
  const found = new Set<string>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ns = namespaceId(Number(entry), "net");
    if (ns) found.add(ns);
  }
  return found;
}

describe("startLabHosts @host", () => {
  let lab: MultiHostLab | undefined;
  let before: Awaited<ReturnType<typeof machineNetworkState>>;

  after(async () => {
    await lab?.stop();
  });

  it("joins two hosts over a private underlay that the machine's own network never sees", async () => {
    before = await machineNetworkState();
    lab = await startLabHosts({ names: ["ulab-a", "ulab-b"] });
    const a = lab.hosts["ulab-a"];
    assert.strictEqual(lab.address("ulab-a"), "10.250.0.11");
    assert.strictEqual(lab.address("ulab-b"), "10.250.0.12");
    const ping = await a.exec(["ping", "-c", "2", "-i", "0.2", "-W", "1", lab.address("ulab-b")]);
    assert.strictEqual(ping.code, 0, ping.stdout + ping.stderr);
    // The address is OVS's: on br-phy's internal port, with eth1 a port of br-phy.
    assert.match(await a.sh(["ip", "-o", "-4", "addr", "show", "dev", PHYSICAL_BRIDGE]), /10\.250\.0\.11\/24/);
    assert.deepStrictEqual((await a.sh(["ovs-vsctl", "list-ports", PHYSICAL_BRIDGE])).trim().split("\n"), ["eth1"]);
    // OVS's own route table, which userspace tunnels resolve remote_ip with, has the underlay.
    assert.match(await a.sh(["ovs-appctl", "ovs/route/show"]), /10\.250\.0\.0\/24 dev br-phy/);
    // Nothing of the underlay in the machine's namespace: same links and named namespaces.
    assert.deepStrictEqual(await machineNetworkState(), before);
    assert.strictEqual(fs.existsSync("/run/netns/underlay"), false);
  });

  it("leaves no process, namespace or veth behind after stop", async () => {
    assert.ok(lab, "the previous test started the lab");
    const hosts = Object.values(lab.hosts);
    const pids = [...hosts.flatMap((h) => h.processIds()), ...lab.underlay.processIds()];
    const namespaces = hosts.map((h) => namespaceId(h.pid, "net")!);
    const [underlayHolder] = lab.underlay.processIds().slice(-1);
    namespaces.push(namespaceId(underlayHolder, "net")!);
    assert.strictEqual(new Set(namespaces).size, 3, "three network namespaces of their own");
    await lab.stop();
    lab = undefined;
    assert.deepStrictEqual(await waitForProcEntriesGone(pids), []);
    const live = liveNetNamespaces();
    assert.deepStrictEqual(namespaces.filter((ns) => live.has(ns)), []);
    assert.deepStrictEqual(await machineNetworkState(), before);
  });

  it("refuses duplicate host names before starting anything", async () => {
    await assert.rejects(startLabHosts({ names: ["ulab-x", "ulab-x"] }), /without duplicates/);
  });
});
