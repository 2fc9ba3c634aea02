import { strict as assert } from "assert";
import { parseMatch } from "../../../core/openflow/match";

const same = (a: string, b: string) => assert.equal(parseMatch(a).canonical, parseMatch(b).canonical, `${a} vs ${b}`);

describe("parseMatch", () => {
  it("reads shorthands and their long forms as one match", () => {
    same("tcp", "dl_type=0x0800,nw_proto=6");
    same("icmp6", "eth_type=0x86dd,ip_proto=58");
    same("ip,ip_src=1.2.3.4", "nw_src=1.2.3.4,dl_type=0x800");
  });

  it("reads every VLAN spelling into vlan_tci, as OVS stores it", () => {
    same("dl_vlan=1", "vlan_tci=0x1001/0x1fff");
    same("dl_vlan=5", "vlan_vid=0x1005");
    same("dl_vlan=0xffff", "vlan_tci=0x0000/0x1fff");
    same("dl_vlan_pcp=2", "vlan_pcp=2");
    same("dl_vlan=1,dl_vlan_pcp=3", "vlan_tci=0x7001/0xffff");
    assert.equal(parseMatch("dl_vlan=1").hasVlan, true);
    assert.equal(parseMatch("vlan_tci=0x0000/0x1fff").hasVlan, false);
  });

  it("reads nw_src/nw_dst/nw_proto under arp as OVS prints them (arp_spa/arp_tpa/arp_op)", () => {
    same("arp,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=1", "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1");
  });

  it("tells apart what OVS tells apart", () => {
    assert.notEqual(parseMatch("dl_vlan=1").canonical, parseMatch("dl_vlan=2").canonical);
    assert.notEqual(parseMatch("tcp,tp_dst=80").canonical, parseMatch("udp,tp_dst=80").canonical);
    assert.notEqual(parseMatch("in_port=1").canonical, parseMatch("in_port=2").canonical);
  });

  it("reads a port number as the port's name when the bridge's ports are known", () => {
    const ports = { bridge: "br-ex", byNumber: new Map([[1, "phy-br-ex"]]) };
    assert.equal(parseMatch("in_port=1", ports).canonical, parseMatch("in_port=phy-br-ex", ports).canonical);
    assert.equal(parseMatch("in_port=br-ex", ports).canonical, parseMatch("in_port=LOCAL", ports).canonical);
  });

  it("refuses a prerequisite that is missing instead of letting OVS drop the field", () => {
    assert.match(parseMatch("icmp_type=8").problems[0], /icmp_type needs icmp or icmp6 first/);
    assert.match(parseMatch("udp,tcp_flags=+syn").problems[0], /tcp_flags needs tcp first/);
    assert.match(parseMatch("ip,ipv6_src=::1").problems[0], /ipv6_src needs ipv6 first/);
    assert.deepEqual(parseMatch("ipv6,tcp6,tp_src=1").problems, [], "OVS takes a protocol repeated");
    assert.deepEqual(parseMatch("ip,ipv6").problems, ["ipv6 contradicts the protocol given before it"]);
  });
});
