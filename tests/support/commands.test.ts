import { strict as assert } from "assert";
import { isWrite } from "./commands";

// The tests' "no write command ran" checks are only as good as this classifier.
describe("isWrite", () => {
  const rows: Array<[string[], boolean]> = [
    [["ovs-vsctl", "--format=json", "--columns=name", "find", "Bridge", "name=br0", "--", "list", "Port"], false],
    [["ovs-vsctl", "--may-exist", "add-br", "br0", "--", "set", "Bridge", "br0", "fail_mode=secure"], true],
    [["ovs-vsctl", "list", "Port", "--", "set", "Port", "p", "tag=1"], true],
    [["ovs-ofctl", "-O", "OpenFlow14", "--no-stats", "--names", "dump-flows", "br0", "cookie=0x1/-1"], false],
    [["ovs-ofctl", "-O", "OpenFlow14", "--bundle", "add-flows", "br0", "-"], true],
    [["ip", "-n", "qrouter-x", "-json", "addr", "show"], false],
    [["ip", "-json", "route"], false],
    [["ip", "-n", "qrouter-x", "-batch", "-"], true],
    [["ip", "-n", "qrouter-x", "-json", "-details", "-batch", "-"], false],
    [["ip", "netns", "add", "x"], true],
    [["ip", "netns", "list"], false],
    [["ip", "netns", "exec", "x", "sysctl", "-e", "net.ipv4.ip_forward"], false],
    [["ip", "netns", "exec", "x", "sysctl", "-w", "net.ipv4.ip_forward=1"], true],
    [["ip", "netns", "exec", "x", "ovs-ofctl", "-O", "OpenFlow14", "dump-flows", "br0"], false],
    [["ip", "netns", "exec", "x", "iptables-restore", "--noflush", "-w"], true],
    [["iptables-save", "-t", "nat"], false],
    [
      ["ovsdb-client", "transact", '["Open_vSwitch",{"op":"select","table":"Port","where":[],"columns":["name"]}]'],
      false,
    ],
    [["ovsdb-client", "transact", '["Open_vSwitch",{"op":"delete","table":"Port","where":[]}]'], true],
    [["some-unknown-tool"], true],
  ];
  for (const [argv, write] of rows) {
    it(`calls \`${argv.join(" ")}\` ${write ? "a write" : "a read"}`, () => assert.equal(isWrite(argv), write));
  }
});
