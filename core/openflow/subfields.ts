// Fields as the targets of set_field, load and move. Users write `reg0[0..3]` or
// `eth_src`; OVS prints `NXM_NX_REG0[0..3]` and `NXM_OF_ETH_SRC[]` (load/move) or
// `eth_src` (set_field). All spellings read into one canonical name and bit range.
import { Parsed } from "./values";
import { clip } from "./syntax";
import { OTHER_FIELDS } from "./fields";

interface Subfield {
  /** Canonical name (OVS's set_field spelling). */
  name: string;
  bits: number;
}

const TABLE: Array<[names: string[], name: string, bits: number]> = [
  [["eth_src", "dl_src", "NXM_OF_ETH_SRC"], "eth_src", 48],
  [["eth_dst", "dl_dst", "NXM_OF_ETH_DST"], "eth_dst", 48],
  [["eth_type", "dl_type", "NXM_OF_ETH_TYPE"], "eth_type", 16],
  [["vlan_tci", "NXM_OF_VLAN_TCI"], "vlan_tci", 16],
  [["vlan_vid", "OXM_OF_VLAN_VID"], "vlan_vid", 13],
  [["vlan_pcp", "OXM_OF_VLAN_PCP"], "vlan_pcp", 3],
  [["ip_src", "nw_src", "NXM_OF_IP_SRC"], "ip_src", 32],
  [["ip_dst", "nw_dst", "NXM_OF_IP_DST"], "ip_dst", 32],
  [["ipv6_src", "NXM_NX_IPV6_SRC"], "ipv6_src", 128],
  [["ipv6_dst", "NXM_NX_IPV6_DST"], "ipv6_dst", 128],
  [["ip_dscp", "OXM_OF_IP_DSCP"], "ip_dscp", 6],
  [["nw_tos", "NXM_OF_IP_TOS"], "nw_tos", 8],
  [["nw_ecn", "ip_ecn", "NXM_NX_IP_ECN"], "nw_ecn", 2],
  [["nw_ttl", "NXM_NX_IP_TTL"], "nw_ttl", 8],
  [["ip_proto", "nw_proto", "NXM_OF_IP_PROTO"], "ip_proto", 8],
  [["tcp_src", "tp_src", "NXM_OF_TCP_SRC"], "tcp_src", 16],
  [["tcp_dst", "tp_dst", "NXM_OF_TCP_DST"], "tcp_dst", 16],
  [["udp_src", "NXM_OF_UDP_SRC"], "udp_src", 16],
  [["udp_dst", "NXM_OF_UDP_DST"], "udp_dst", 16],
  [["sctp_src", "OXM_OF_SCTP_SRC"], "sctp_src", 16],
  [["sctp_dst", "OXM_OF_SCTP_DST"], "sctp_dst", 16],
  [["arp_op", "NXM_OF_ARP_OP"], "arp_op", 16],
  [["arp_spa", "NXM_OF_ARP_SPA"], "arp_spa", 32],
  [["arp_tpa", "NXM_OF_ARP_TPA"], "arp_tpa", 32],
  [["arp_sha", "NXM_NX_ARP_SHA"], "arp_sha", 48],
  [["arp_tha", "NXM_NX_ARP_THA"], "arp_tha", 48],
  [["in_port", "NXM_OF_IN_PORT"], "in_port", 16],
  [["metadata", "OXM_OF_METADATA"], "metadata", 64],
  [["tun_id", "tunnel_id", "NXM_NX_TUN_ID"], "tun_id", 64],
  [["tun_src", "NXM_NX_TUN_IPV4_SRC"], "tun_src", 32],
  [["tun_dst", "NXM_NX_TUN_IPV4_DST"], "tun_dst", 32],
  [["pkt_mark", "NXM_NX_PKT_MARK"], "pkt_mark", 32],
  [["ct_mark", "NXM_NX_CT_MARK"], "ct_mark", 32],
  [["ct_zone", "NXM_NX_CT_ZONE"], "ct_zone", 16],
  ...Array.from({ length: 16 }, (_, i): [string[], string, number] => [[`reg${i}`, `NXM_NX_REG${i}`], `reg${i}`, 32]),
];

export const SUBFIELDS: ReadonlyMap<string, Subfield> = new Map(
  TABLE.flatMap(([names, name, bits]) => names.map((n): [string, Subfield] => [n, { name, bits }])),
);

/**
 * A field ovslab does not model but OVS knows (ovs-fields(7): its NXM/OXM names, or the
 * other field names): kept as written, for OVS on the host to read at plan time.
 */
function otherField(name: string): boolean {
  return /^(NXM_(OF|NX)|OXM_OF|NXOXM_(ET|NSH)|ONFOXM_ET|OXM_OF_PKT)_[A-Z0-9_]+$/.test(name) || OTHER_FIELDS.has(name);
}

/** A whole field by any of its names, for set_field: canonical name or an error. */
export function fieldName(text: string): Parsed {
  const f = SUBFIELDS.get(text);
  if (f) return { ok: true, value: f.name };
  if (otherField(text)) return { ok: true, value: text };
  return { ok: false, error: `unknown field "${clip(text)}"` };
}

/** `reg0[0..3]`, `NXM_NX_REG0[]`, `reg0[5]` or `reg0` -> `reg0[0..3]`; the whole field prints as `name[]`. */
export function subfield(text: string): Parsed {
  const m = /^([A-Za-z0-9_]+)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/.exec(text);
  const f = m && SUBFIELDS.get(m[1]);
  if (m && !f && otherField(m[1])) return { ok: true, value: text };
  if (!m || !f) return { ok: false, error: `unknown field "${clip(text)}" (write e.g. reg0[0..15] or NXM_NX_REG0[])` };
  if (m[2] === undefined) return { ok: true, value: `${f.name}[]` };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (start > end || end >= f.bits)
    return { ok: false, error: `bits [${start}..${end}] are outside ${m[1]} (0..${f.bits - 1})` };
  if (start === 0 && end === f.bits - 1) return { ok: true, value: `${f.name}[]` };
  return { ok: true, value: `${f.name}[${start}..${end}]` };
}
