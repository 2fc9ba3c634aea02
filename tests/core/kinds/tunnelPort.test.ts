import { strict as assert } from "assert";
import { MultiHostLab, startLabHosts } from "../../../lab/multihost";
import { LabHost } from "../../../lab";
import { call } from "../../../providers/entry";
import { closeAll } from "../../../transport/pool";
import { writesIn } from "../../support/commands";

describe("TunnelPort check (through the provider entry point)", () => {
  it("names each bad field and its rule", async () => {
    const news = {
      bridge: "br-tun",
      name: "vx",
      remoteIp: "10.250.0",
      key: -1,
      connection: { host: "127.0.0.1" },
      owner: "lab/dev/TunnelPort/t",
    };
    const result = await call("tunnelPort", "check", {}, news);
    assert.deepEqual(result.failures?.map((f: { reason: string }) => f.reason), [
      "remoteIp: must be an IPv4 or IPv6 address, as OVS's remote_ip takes, got \"10.250.0\"",
      "key: must be 0 or more, got -1",
    ]);
  });
});

describe("TunnelPort provider between two real lab hosts over SSH @host", function () {
  this.timeout(120_000);
  let lab: MultiHostLab;
  const names = ["tun-a", "tun-b"];
  const ports: Record<string, Record<string, unknown>> = {};
  const host = (name: string): LabHost => lab.hosts[name];
  const peer = (name: string) => names.find((n) => n !== name)!;
  const specOf = (name: string) => ({
    bridge: "br-tun",
    name: "vxlan-peer",
    remoteIp: lab.address(peer(name)),
    localIp: lab.address(name),
    key: 100,
  });
  const props = (name: string, spec: Record<string, unknown> = specOf(name)) =>
    ({ ...spec, connection: host(name).connection, owner: `test/tun/TunnelPort/${name}` });
  async function diff(name: string) {
    const checked = await call("tunnelPort", "check", ports[name], props(name));
    return call("tunnelPort", "diff", "id", ports[name], checked.inputs);
  }
  async function update(name: string) {
    const checked = await call("tunnelPort", "check", ports[name], props(name));
    ports[name] = (await call("tunnelPort", "update", "id", ports[name], checked.inputs)).outs;
  }
  const ping = (from: string, to: string) =>
    host(from).exec(["ip", "netns", "exec", "vm", "ping", "-c", "2", "-i", "0.2", "-W", "1", to]);

  before(async () => {
    lab = await startLabHosts({ names });
    for (const [i, name] of names.entries()) {
      // br-tun as someone else made it (standalone: NORMAL switches), and a "VM" on it.
      await host(name).sh(["ovs-vsctl", "add-br", "br-tun", "--", "set", "Bridge", "br-tun", "datapath_type=netdev",
        "--", "add-port", "br-tun", "vm0", "--", "set", "Interface", "vm0", "type=internal"]);
      for (const argv of [
        ["netns", "add", "vm"],
        ["link", "set", "vm0", "netns", "vm"],
        ["-n", "vm", "addr", "add", `192.168.7.${i + 1}/24`, "dev", "vm0"],
        ["-n", "vm", "link", "set", "vm0", "mtu", "1400", "up"],
      ])
        await host(name).sh(["ip", ...argv]);
    }
  });
  after(async () => {
    await closeAll();
    await lab?.stop();
  });

  it("creates a VXLAN port on each host in one write each, and packets cross the tunnel", async () => {
    for (const name of names) {
      await host(name).resetCommandLog();
      const checked = await call("tunnelPort", "check", {}, props(name));
      const created = await call("tunnelPort", "create", checked.inputs);
      ports[name] = created.outs;
      assert.equal(created.id, "br-tun:vxlan-peer");
      assert.equal(writesIn(await host(name).commandLog()).length, 1);
    }
    assert.equal(
      (await host("tun-a").sh(["ovs-vsctl", "get", "Interface", "vxlan-peer", "options:remote_ip"])).trim(),
      '"10.250.0.12"',
    );
    const result = await ping("tun-a", "192.168.7.2");
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it("finds nothing to do again and runs no write", async () => {
    await host("tun-a").resetCommandLog();
    assert.equal((await diff("tun-a")).changes, false);
    assert.deepEqual(writesIn(await host("tun-a").commandLog()), []);
  });

  const drifts: Array<[string, string[]]> = [
    ["a remote_ip changed", ["set", "Interface", "vxlan-peer", "options:remote_ip=10.250.0.99"]],
    ["the key changed", ["set", "Interface", "vxlan-peer", "options:key=200"]],
    ["the port deleted", ["del-port", "br-tun", "vxlan-peer"]],
  ];
  for (const [what, command] of drifts) {
    it(`sees ${what} by hand in diff and refresh, and update repairs it`, async () => {
      await host("tun-a").sh(["ovs-vsctl", ...command]);
      assert.equal((await diff("tun-a")).changes, true);
      const refreshed = await call("tunnelPort", "read", "id", ports["tun-a"]);
      if (what.includes("deleted")) assert.equal(refreshed.id, "", "refresh reports it gone");
      else assert.notDeepEqual(refreshed.props, ports["tun-a"]);
      await update("tun-a");
      assert.equal((await diff("tun-a")).changes, false);
      const result = await ping("tun-a", "192.168.7.2");
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });
  }

  it("delete removes its port and nothing else; the tunnel stops carrying packets", async () => {
    await call("tunnelPort", "delete", "id", ports["tun-b"]);
    assert.deepEqual((await host("tun-b").sh(["ovs-vsctl", "list-ports", "br-tun"])).split("\n").filter(Boolean), [
      "vm0",
    ]);
    assert.notEqual((await ping("tun-a", "192.168.7.2")).code, 0);
    assert.equal((await call("tunnelPort", "read", "id", ports["tun-b"])).id, "");
  });
});
