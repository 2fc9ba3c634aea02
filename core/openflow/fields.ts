// Names Open vSwitch knows that ovslab's grammar does not model in depth: match fields
// (ovs-fields(7)), actions (ovs-actions(7)) and flow-mod flags (ovs-ofctl(8)). Flows
// using them pass `check` when the name is known (so typos still fail early) and are
// then read by OVS itself on the host at plan time (`ovs-ofctl parse-flows`), which is
// the one judge of what they mean. Kept as written in ovslab's own canonical form.

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Match fields beyond those match.ts reads value by value. */
export const OTHER_FIELDS: ReadonlySet<string> = new Set([
  "conj_id", "recirc_id", "dp_hash", "packet_type", "actset_output", "in_port_oxm", "skb_priority",
  "ct_label", "ct_nw_src", "ct_nw_dst", "ct_ipv6_src", "ct_ipv6_dst", "ct_nw_proto", "ct_tp_src", "ct_tp_dst",
  "nd_target", "nd_sll", "nd_tll", "nd_reserved", "nd_options_type",
  "mpls_label", "mpls_tc", "mpls_bos", "mpls_ttl",
  "tun_flags", "tun_ipv6_src", "tun_ipv6_dst", "tun_gbp_id", "tun_gbp_flags", "tun_tos", "tun_ttl",
  "tun_erspan_ver", "tun_erspan_idx", "tun_erspan_dir", "tun_erspan_hwid", "tun_gtpu_flags", "tun_gtpu_msgtype",
  "nsh_flags", "nsh_ttl", "nsh_mdtype", "nsh_np", "nsh_spi", "nsh_si", "nsh_c1", "nsh_c2", "nsh_c3", "nsh_c4",
  "ipv6_exthdr", "vlan_tpid",
  ...range("tun_metadata", 64), ...range("xreg", 8), ...range("xxreg", 4),
]);

/** Flow-mod flags, which ovs-ofctl takes among the match fields. */
export const FLOW_FLAGS: ReadonlySet<string> = new Set([
  "send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts", "no_readonly_table", "no_buffer",
]);

/** Actions OVS takes that actions.ts does not read argument by argument. */
export const OTHER_ACTIONS: ReadonlySet<string> = new Set([
  "learn", "note", "group", "enqueue", "meter", "conjunction", "multipath", "bundle", "bundle_load", "sample",
  "clone", "check_pkt_larger", "encap", "decap", "push_mpls", "pop_mpls", "fin_timeout", "dec_mpls_ttl",
  "set_mpls_label", "set_mpls_tc", "set_mpls_ttl", "push", "pop", "debug_recirc", "debug_slow", "delete_field",
  "dec_nsh_ttl", "set_vlan_vid", "set_vlan_pcp", "set_nw_ttl", "set_ip_ecn",
]);
