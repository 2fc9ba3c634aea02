import { strict as assert } from "assert";
import { flowRuleSpec, flowTableSpec } from "../../../core/schema/flow";
import { formatProblem, parseOrThrow, validate } from "../../../core/validation";

function problems(schema: typeof flowRuleSpec | typeof flowTableSpec, input: unknown): string[] {
  const result = validate(schema, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}
const rule = (fields: Record<string, unknown>) =>
  problems(flowRuleSpec, { bridge: "br-ex", actions: "NORMAL", ...fields });

describe("flowRuleSpec", () => {
  it("fills OVS's own defaults: table 0, priority 32768, empty match, no timeouts", () => {
    assert.deepEqual(parseOrThrow(flowRuleSpec, { bridge: "br-ex", actions: "NORMAL" }, "FlowRule"), {
      bridge: "br-ex", table: 0, priority: 32768, match: "", actions: "NORMAL", idleTimeout: 0, hardTimeout: 0,
    });
  });

  it("accepts the three flows of the seed article, with port names", () => {
    assert.deepEqual(rule({ priority: 1 }), []);
    assert.deepEqual(rule({ priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" }), []);
    assert.deepEqual(rule({ priority: 2, match: "in_port=phy-br-ex", actions: "drop" }), []);
  });

  // The bad-input rows of issue 3, each with the message check gives.
  const rejected: Array<[string, Record<string, unknown>, string[]]> = [
    [
      "an unknown match field",
      { match: "in_prot=1" },
      ['match: unknown match field "in_prot" (did you mean "in_port"?)'],
    ],
    [
      "an unknown action",
      { actions: "strp_vlan,NORMAL" },
      [
        'actions: unknown action "strp_vlan" (did you mean "strip_vlan"?); to send to a port of that name, write output:strp_vlan',
      ],
    ],
    [
      "a VLAN over 4095 in the match",
      { match: "dl_vlan=4096" },
      ["match: dl_vlan=4096: must be 0-4095 (or 0xffff for frames without a VLAN header)"],
    ],
    [
      "a VLAN over 4095 in the actions",
      { actions: "mod_vlan_vid:5000,NORMAL" },
      ["actions: mod_vlan_vid:5000: must be 0-4095"],
    ],
    ["a priority over 65535", { priority: 65536 }, ["priority: must be 0-65535"]],
    ["a table over 254", { table: 255 }, ["table: must be 0-253 (OVS keeps table 254 for itself)"]],
    [
      "table 254, which OVS refuses with EPERM",
      { table: 254 },
      ["table: must be 0-253 (OVS keeps table 254 for itself)"],
    ],
    [
      "a ; in the match",
      { match: "in_port=1;reboot" },
      ['match: contains ";"; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed'],
    ],
    [
      "a newline in the actions (it would start a second bundle line)",
      { actions: "NORMAL\ndelete" },
      ['actions: contains a newline; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > " are allowed'],
    ],
    [
      "a single quote",
      { match: "in_port='x'" },
      ["match: contains a single quote ('); only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed"],
    ],
    [
      "a $(...) in the match",
      { match: "in_port=$(id)" },
      ['match: contains "$"; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed'],
    ],
    [
      "a tab",
      { actions: "strip_vlan,\tNORMAL" },
      ['actions: contains a tab; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > " are allowed'],
    ],
    [
      "strip_vlan without a VLAN match (OpenFlow 1.0 only)",
      { actions: "strip_vlan,output:1" },
      [
        "actions: strip_vlan needs the match to select a VLAN (e.g. dl_vlan=1, or vlan_tci=0x1000/0x1000 for any) first " +
          "(OpenFlow 1.4, which ovslab's atomic bundles use, requires it; only OpenFlow 1.0 would take it)",
      ],
    ],
    [
      "an action word close to a known action",
      { actions: "NORMAL,pop_vlon" },
      [
        'actions: unknown action "pop_vlon" (did you mean "pop_vlan"?); to send to a port of that name, write output:pop_vlon',
      ],
    ],
    ["a negative priority", { priority: -1 }, ["priority: must be 0-65535"]],
    ["a fractional timeout", { idleTimeout: 1.5 }, ["idleTimeout: must be a whole number"]],
    ["a timeout over 65535", { hardTimeout: 70000 }, ["hardTimeout: must be 0-65535"]],
    [
      "tp_dst without a protocol (OVS would silently drop it)",
      { match: "tp_dst=80" },
      ['match: tp_dst needs tcp, udp or sctp first (e.g. "tcp,tp_dst=80"); OVS would silently ignore it'],
    ],
    [
      "nw_src without ip",
      { match: "nw_src=10.0.0.1" },
      ['match: nw_src needs ip or arp first (e.g. "ip,nw_src=10.0.0.1"); OVS would silently ignore it'],
    ],
    [
      "a field given twice",
      { match: "dl_vlan=1,dl_vlan=2" },
      ["match: dl_vlan is given twice (or also set by a shorthand like tcp)"],
    ],
    [
      "the priority inside the match",
      { match: "priority=5" },
      ["match: priority is not a match field; use the rule's priority argument"],
    ],
    [
      "a cookie inside the match",
      { match: "cookie=0x5" },
      ["match: cookie is not a match field; use the rule's cookie argument"],
    ],
    [
      "a timeout inside the match",
      { match: "idle_timeout=5" },
      ["match: idle_timeout is not a match field; use the rule's idleTimeout argument"],
    ],
    [
      "a bad IPv4 address",
      { match: "ip,nw_dst=10.0.0.256" },
      ['match: nw_dst=10.0.0.256: "10.0.0.256" is not an IPv4 address'],
    ],
    [
      "a bad Ethernet address",
      { match: "dl_src=00:11:22" },
      ['match: dl_src=00:11:22: "00:11:22" is not an Ethernet address (xx:xx:xx:xx:xx:xx)'],
    ],
    [
      "a bad port name",
      { match: "in_port=way-too-long-port-name" },
      [
        "match: in_port=way-too-long-port-name: \"way-too-long-port-name\" is neither a port number nor a port name (1-15 letters, digits, '_', '.', '-')",
      ],
    ],
    [
      "drop beside other actions",
      { actions: "NORMAL,drop" },
      ['actions: "drop" must be the only action (OVS refuses it beside others)'],
    ],
    [
      "a goto_table backwards",
      { table: 3, actions: "goto_table:2" },
      ["actions: goto_table:2: must name a later table than this rule's (4-253); use resubmit(,N) to go back"],
    ],
    [
      "mod_nw_src without ip",
      { actions: "mod_nw_src:10.0.0.1,NORMAL" },
      [
        "actions: mod_nw_src:10.0.0.1 needs the match to select ip first (OpenFlow 1.4, which ovslab's atomic bundles use, requires it; only OpenFlow 1.0 would take it)",
      ],
    ],
    [
      "a vlan_vid set_field without the present bit",
      { match: "dl_vlan=1", actions: "set_field:5->vlan_vid,NORMAL" },
      [
        "actions: set_field:5->vlan_vid: a vlan_vid value carries the present bit 0x1000: write 4101, or use mod_vlan_vid",
      ],
    ],
    ["unbalanced brackets", { actions: "ct(commit" }, ["actions: has unbalanced brackets"]],
    [
      "cookie 0, which every flow added without a cookie has",
      { cookie: "0x0" },
      ["cookie: must not be 0: that is the cookie of every flow added without one, which ovslab would then own"],
    ],
    [
      "an all-ones cookie",
      { cookie: "0xffffffffffffffff" },
      ["cookie: must not be 0xffffffffffffffff (reserved by OpenFlow)"],
    ],
    [
      "a cookie that is not a number",
      { cookie: "abc" },
      ['cookie: must be a 64-bit number, 0x-hex or decimal (e.g. "0x1f")'],
    ],
    [
      "a bad bridge name",
      { bridge: "br;x" },
      ["bridge: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'"],
    ],
    ["an unknown field", { prio: 5 }, ["prio: unknown field"]],
  ];
  for (const [what, fields, expected] of rejected) {
    it(`rejects ${what}`, () => assert.deepEqual(rule(fields), expected));
  }

  it("reports every problem at once, match and actions both", () => {
    assert.deepEqual(rule({ priority: 70000, match: "in_prot=1", actions: "bogus:1" }), [
      "priority: must be 0-65535",
      'match: unknown match field "in_prot" (did you mean "in_port"?)',
      'actions: unknown action "bogus"',
    ]);
  });

  it("accepts what ovs-ofctl accepts across the field and action tables", () => {
    const ok: Array<[string, string]> = [
      ["tcp,nw_src=10.0.0.0/24,tp_dst=80", "mod_vlan_vid:5,output:phy-br-ex"],
      ["ct_state=+trk+est-new,ip", "ct(commit,zone=1,exec(set_field:1->ct_mark)),normal"],
      ["arp,arp_tpa=10.0.0.0/8,arp_op=1", "resubmit(,2),resubmit:LOCAL"],
      ["ipv6,ipv6_dst=2001:db8::/32", "dec_ttl,output(port=p_1,max_len=100)"],
      ["reg0=5,metadata=0x5/0xff,tun_id=0x10", "load:0x1->reg0[0..3],move:NXM_NX_REG0[]->NXM_NX_REG1[],goto_table:3"],
      ["dl_vlan=1,dl_vlan_pcp=3,dl_src=00:11:22:33:44:55", "pop_vlan,controller:100"],
      ["", "1,LOCAL,IN_PORT,flood"],
    ];
    for (const [match, actions] of ok) assert.deepEqual(rule({ match, actions }), [], `${match} ${actions}`);
  });

  it("accepts the forms OVS takes that issue 13 found refused: other actions, fields, flags and pasted text", () => {
    const ok: Array<[string, string]> = [
      ["conj_id=7,ip", "note:ab.cd,resubmit(,3)"],
      ["ip,nw_src=10.0.0.1", "conjunction(1,1/2)"],
      ["", "learn(table=10,NXM_OF_VLAN_TCI[0..11],output:NXM_OF_IN_PORT[]),bundle(eth_src,0,hrw,ofport,members:1,2)"],
      ["tun_metadata0=0x1/0xff,ct_label=0x1", "multipath(eth_src, 50, modulo_n, 1, 0, NXM_NX_REG0[0..5]),meter:1"],
      [
        "ipv6,icmp6,icmp_type=135,nd_target=fe80::1",
        "sample(probability=65535,collector_set_id=1),fin_timeout(idle_timeout=5)",
      ],
      ["mpls,mpls_label=5", "pop_mpls:0x0800,push:NXM_NX_REG0[],pop:NXM_NX_REG1[]"],
      [
        "tcp,tp_src[6..10]=19",
        "load(0x1->reg0[0..3]),set_field(5->reg1),controller(reason=no_match),dec_ttl(),resubmit(2)",
      ],
      ['in_port="phy-br-ex", dl_vlan=1', 'strip_vlan, output:"123"'],
      ["ip,send_flow_rem,check_overlap", "veth_r0"],
      ["", ""],
      ["ip,nw_dst=0.0.0.0/0,vlan_tci=0", "push_mpls:0x8847,set_mpls_label:5"],
    ];
    for (const [match, actions] of ok) assert.deepEqual(rule({ match, actions }), [], `${match} ${actions}`);
  });
});

describe("flowTableSpec", () => {
  it("names the flow of each problem by its index", () => {
    assert.deepEqual(
      problems(flowTableSpec, {
        bridge: "br-ex",
        flows: [{ actions: "NORMAL" }, { match: "dl_vlan=9999", actions: "drop", priority: 3 }],
      }),
      ["flows[1].match: dl_vlan=9999: must be 0-4095 (or 0xffff for frames without a VLAN header)"],
    );
  });

  it("rejects two flows that OVS would hold as one (same table, priority and match, however spelt)", () => {
    const flows = [
      { priority: 4, match: "in_port=phy-br-ex,dl_vlan=1", actions: "strip_vlan,NORMAL" },
      { priority: 4, match: "dl_vlan=0x1,in_port=phy-br-ex", actions: "drop" },
      { priority: 5, match: "in_port=phy-br-ex,dl_vlan=1", actions: "drop" },
    ];
    assert.deepEqual(problems(flowTableSpec, { bridge: "br-ex", flows }), [
      "flows[1]: has the same table, priority and match as flows[0]; OVS would keep only one of them",
    ]);
  });

  it("accepts an empty table and fills each flow's defaults", () => {
    assert.deepEqual(parseOrThrow(flowTableSpec, { bridge: "br-ex", flows: [] }, "FlowTable"), {
      bridge: "br-ex",
      flows: [],
    });
    const spec = parseOrThrow(flowTableSpec, { bridge: "br-ex", flows: [{ actions: "NORMAL" }] }, "FlowTable");
    assert.deepEqual(spec.flows[0], {
      table: 0,
      priority: 32768,
      match: "",
      actions: "NORMAL",
      idleTimeout: 0,
      hardTimeout: 0,
    });
  });
});
