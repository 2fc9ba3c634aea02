import { strict as assert } from "assert";
import { parseMatch } from "../../../core/openflow/match";
import { parseActions } from "../../../core/openflow/actions";

const actions = (text: string, match = "", table = 0) => parseActions(text, { match: parseMatch(match), table });
const canonical = (text: string, match = "") => actions(text, match).canonical;

describe("parseActions", () => {
  it("reads strip_vlan as pop_vlan and reserved ports in upper case", () => {
    assert.equal(canonical("strip_vlan,normal"), canonical("pop_vlan,NORMAL"));
    assert.equal(canonical("output:LOCAL,in_port"), canonical("LOCAL,IN_PORT"));
    assert.equal(canonical("controller"), canonical("CONTROLLER:65535"));
  });

  it("writes mod_vlan_vid as OpenFlow 1.4 does: a push only when the packet has no VLAN yet", () => {
    assert.equal(canonical("mod_vlan_vid:5"), canonical("push_vlan:0x8100,set_field:4101->vlan_vid"));
    assert.equal(canonical("mod_vlan_vid:5", "dl_vlan=1"), canonical("set_field:4101->vlan_vid", "dl_vlan=1"));
    assert.equal(
      canonical("pop_vlan,mod_vlan_vid:6", "dl_vlan=1"),
      canonical("pop_vlan,push_vlan:0x8100,set_field:4102->vlan_vid", "dl_vlan=1"),
    );
  });

  it("reads the mod_* actions as the set_field OVS stores", () => {
    assert.equal(canonical("mod_nw_tos:16", "ip"), canonical("set_field:4->ip_dscp", "ip"));
    assert.equal(canonical("mod_tp_dst:53", "udp"), canonical("set_field:53->udp_dst", "udp"));
    assert.equal(canonical("mod_dl_src:0:1:2:3:4:5"), canonical("set_field:00:01:02:03:04:05->eth_src"));
    assert.equal(canonical("set_tunnel:5"), canonical("set_field:0x5->tun_id"));
  });

  it("reads load and move fields by any of their names and bit ranges", () => {
    assert.equal(canonical("load:1->reg0[]"), canonical("load:0x1->NXM_NX_REG0[0..31]"));
    assert.equal(canonical("move:eth_src[]->eth_dst[]"), canonical("move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"));
    assert.match(actions("load:1->reg0[30..40]").problems[0], /bits \[30..40\] are outside reg0/);
  });

  it("reads ct arguments in any order", () => {
    assert.equal(canonical("ct(zone=1,commit,table=2)", "ip"), canonical("ct(commit,table=2,zone=1)", "ip"));
    assert.notEqual(canonical("ct(zone=1,commit)", "ip"), canonical("ct(zone=2,commit)", "ip"));
  });

  it("reads resubmit in its three spellings", () => {
    assert.equal(canonical("resubmit(IN_PORT,2)"), canonical("resubmit(,2)"));
    assert.notEqual(canonical("resubmit:2"), canonical("resubmit(,2)"), "resubmit:2 is port 2, not table 2");
  });

  it("keeps the order of actions, which OVS runs in order", () => {
    assert.notEqual(canonical("mod_vlan_vid:5,NORMAL"), canonical("NORMAL,mod_vlan_vid:5"));
  });
});
