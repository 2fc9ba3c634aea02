// The match half of a flow: known fields (a table from ovs-fields(7)), their value ranges
// and prerequisites, and one canonical form. OVS drops a field whose prerequisite is
// missing WITHOUT an error (`tp_dst=80` alone installs a flow matching everything: checked
// on OVS 3.1), so prerequisites are refused here rather than discovered as endless drift.
import { badCharacter, balanced, clip, keyValue, lookup, splitTopLevel, unknownWord, unquote } from "./syntax";
import { flagsValue, integerValue, ipv4Value, ipv6Value, macValue, Parsed, parseInteger } from "./values";
import { NO_PORT_NAMES, PortNames, portValue } from "./ports";
import { FLOW_FLAGS, OTHER_FIELDS } from "./fields";

const ETH = { ip: 0x0800, arp: 0x0806, rarp: 0x8035, ipv6: 0x86dd, mpls: 0x8847, mplsm: 0x8848 } as const;
const PROTO = { icmp: 1, tcp: 6, udp: 17, sctp: 132, icmp6: 58 } as const;

/** Protocol shorthands: `tcp` = `dl_type=0x0800,nw_proto=6`. */
export const SHORTHANDS: Record<string, { dlType: number; nwProto?: number }> = {
  ip: { dlType: ETH.ip },
  ipv6: { dlType: ETH.ipv6 },
  arp: { dlType: ETH.arp },
  rarp: { dlType: ETH.rarp },
  mpls: { dlType: ETH.mpls },
  mplsm: { dlType: ETH.mplsm },
  icmp: { dlType: ETH.ip, nwProto: PROTO.icmp },
  tcp: { dlType: ETH.ip, nwProto: PROTO.tcp },
  udp: { dlType: ETH.ip, nwProto: PROTO.udp },
  sctp: { dlType: ETH.ip, nwProto: PROTO.sctp },
  icmp6: { dlType: ETH.ipv6, nwProto: PROTO.icmp6 },
  tcp6: { dlType: ETH.ipv6, nwProto: PROTO.tcp },
  udp6: { dlType: ETH.ipv6, nwProto: PROTO.udp },
  sctp6: { dlType: ETH.ipv6, nwProto: PROTO.sctp },
};

/** What must be matched before a field means anything (ovs-fields(7) "prerequisites"). */
type Prerequisite = "ip" | "ipv4OrArp" | "ipOrArp" | "ipv6" | "arp" | "l4" | "tcp" | "icmp";

const NEEDS: Record<Prerequisite, { test: (m: MatchFacts) => boolean; say: string }> = {
  ip: { test: (m) => m.dlType === ETH.ip || m.dlType === ETH.ipv6, say: "ip or ipv6" },
  ipv4OrArp: { test: (m) => m.dlType === ETH.ip || m.dlType === ETH.arp || m.dlType === ETH.rarp, say: "ip or arp" },
  ipOrArp: { test: (m) => [ETH.ip, ETH.ipv6, ETH.arp, ETH.rarp].includes(m.dlType as never), say: "ip, ipv6 or arp" },
  ipv6: { test: (m) => m.dlType === ETH.ipv6, say: "ipv6" },
  arp: { test: (m) => m.dlType === ETH.arp || m.dlType === ETH.rarp, say: "arp" },
  l4: {
    test: (m) => NEEDS.ip.test(m) && [PROTO.tcp, PROTO.udp, PROTO.sctp].includes(m.nwProto as never),
    say: "tcp, udp or sctp",
  },
  tcp: { test: (m) => NEEDS.ip.test(m) && m.nwProto === PROTO.tcp, say: "tcp" },
  icmp: {
    test: (m) =>
      (m.dlType === ETH.ip && m.nwProto === PROTO.icmp) || (m.dlType === ETH.ipv6 && m.nwProto === PROTO.icmp6),
    say: "icmp or icmp6",
  },
};

export const CT_STATE_FLAGS = {
  new: 0x01,
  est: 0x02,
  rel: 0x04,
  rpl: 0x08,
  inv: 0x10,
  trk: 0x20,
  snat: 0x40,
  dnat: 0x80,
};
export const TCP_FLAGS = {
  fin: 0x001,
  syn: 0x002,
  rst: 0x004,
  psh: 0x008,
  ack: 0x010,
  urg: 0x020,
  ece: 0x040,
  cwr: 0x080,
  ns: 0x100,
};
const FRAG = ["no", "yes", "first", "later", "not_later"];

type Reader = (value: string, ports: PortNames) => Parsed;
interface Field {
  /** The name the canonical form uses (OVS's own, as dump-flows prints it). */
  key: string;
  read: Reader;
  needs?: Prerequisite;
}

const int =
  (bits: number, maskable = true): Reader =>
  (v) =>
    integerValue(v, bits, { maskable });
const field = (key: string, read: Reader, needs?: Prerequisite): Field => ({ key, read, needs });

/** Match fields by every name OVS accepts. VLAN fields are special-cased (they share vlan_tci). */
export const MATCH_FIELDS: Record<string, Field> = {
  in_port: field("in_port", (v, ports) => portValue(v, ports)),
  dl_src: field("dl_src", (v) => macValue(v)),
  eth_src: field("dl_src", (v) => macValue(v)),
  dl_dst: field("dl_dst", (v) => macValue(v)),
  eth_dst: field("dl_dst", (v) => macValue(v)),
  nw_src: field("nw_src", (v) => ipv4Value(v), "ipv4OrArp"),
  ip_src: field("nw_src", (v) => ipv4Value(v), "ipv4OrArp"),
  nw_dst: field("nw_dst", (v) => ipv4Value(v), "ipv4OrArp"),
  ip_dst: field("nw_dst", (v) => ipv4Value(v), "ipv4OrArp"),
  nw_tos: field("nw_tos", (v) => tos(v), "ip"),
  ip_dscp: field("nw_tos", (v) => dscp(v), "ip"),
  nw_ecn: field("nw_ecn", int(2, false), "ip"),
  ip_ecn: field("nw_ecn", int(2, false), "ip"),
  nw_ttl: field("nw_ttl", int(8, false), "ip"),
  nw_frag: field("nw_frag", (v) => oneOf(v, FRAG), "ip"),
  ip_frag: field("nw_frag", (v) => oneOf(v, FRAG), "ip"),
  ipv6_src: field("ipv6_src", (v) => ipv6Value(v), "ipv6"),
  ipv6_dst: field("ipv6_dst", (v) => ipv6Value(v), "ipv6"),
  ipv6_label: field("ipv6_label", int(20), "ipv6"),
  tp_src: field("tp_src", int(16), "l4"),
  tp_dst: field("tp_dst", int(16), "l4"),
  tcp_src: field("tp_src", int(16), "l4"),
  tcp_dst: field("tp_dst", int(16), "l4"),
  udp_src: field("tp_src", int(16), "l4"),
  udp_dst: field("tp_dst", int(16), "l4"),
  sctp_src: field("tp_src", int(16), "l4"),
  sctp_dst: field("tp_dst", int(16), "l4"),
  tcp_flags: field("tcp_flags", (v) => flagsValue(v, TCP_FLAGS, 12), "tcp"),
  icmp_type: field("icmp_type", int(8, false), "icmp"),
  icmp_code: field("icmp_code", int(8, false), "icmp"),
  icmpv6_type: field("icmp_type", int(8, false), "icmp"),
  icmpv6_code: field("icmp_code", int(8, false), "icmp"),
  arp_spa: field("arp_spa", (v) => ipv4Value(v), "arp"),
  arp_tpa: field("arp_tpa", (v) => ipv4Value(v), "arp"),
  arp_sha: field("arp_sha", (v) => macValue(v), "arp"),
  arp_tha: field("arp_tha", (v) => macValue(v), "arp"),
  arp_op: field("arp_op", int(16, false), "arp"),
  metadata: field("metadata", int(64)),
  tun_id: field("tun_id", int(64)),
  tunnel_id: field("tun_id", int(64)),
  tun_src: field("tun_src", (v) => ipv4Value(v)),
  tun_dst: field("tun_dst", (v) => ipv4Value(v)),
  pkt_mark: field("pkt_mark", int(32)),
  ct_state: field("ct_state", (v) => flagsValue(v, CT_STATE_FLAGS, 32)),
  ct_zone: field("ct_zone", int(16, false)),
  ct_mark: field("ct_mark", int(32)),
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`reg${i}`, field(`reg${i}`, int(32))])),
};

/** Ethernet type and IP protocol fields, read before anything else (they decide prerequisites). */
const DL_TYPE = new Set(["dl_type", "eth_type"]);
const NW_PROTO = new Set(["nw_proto", "ip_proto"]);
const VLAN_FIELDS = new Set(["dl_vlan", "dl_vlan_pcp", "vlan_tci", "vlan_vid", "vlan_pcp"]);
/** Flow-mod settings that have their own argument. */
/** Every name the match accepts, for "did you mean" hints. */
const KNOWN_NAMES = () => [
  ...Object.keys(MATCH_FIELDS),
  ...DL_TYPE,
  ...NW_PROTO,
  ...VLAN_FIELDS,
  ...Object.keys(SHORTHANDS),
  ...OTHER_FIELDS,
];
const NOT_MATCH: Record<string, string> = {
  actions: "actions",
  table: "table",
  priority: "priority",
  cookie: "cookie",
  idle_timeout: "idleTimeout",
  hard_timeout: "hardTimeout",
};

function oneOf(v: string, values: string[]): Parsed {
  return values.includes(v) ? { ok: true, value: v } : { ok: false, error: `must be one of ${values.join(", ")}` };
}

function tos(v: string): Parsed {
  const n = parseInteger(v);
  if (n === undefined || n > 255n || n % 4n !== 0n)
    return { ok: false, error: "must be 0-255 with the two ECN bits clear (a multiple of 4)" };
  return { ok: true, value: "0x" + n.toString(16) };
}

function dscp(v: string): Parsed {
  const n = parseInteger(v);
  if (n === undefined || n > 63n) return { ok: false, error: "must be 0-63" };
  return { ok: true, value: "0x" + (n << 2n).toString(16) };
}

/** Facts the actions need from the match: OVS translates some actions differently with them. */
export interface MatchFacts {
  dlType?: number;
  nwProto?: number;
  /** The match requires a VLAN header (vlan_tci's present bit is matched as 1). */
  hasVlan: boolean;
}

export interface ParsedMatch extends MatchFacts {
  /** Sorted `key=value` items in canonical spelling, joined with `,`. */
  canonical: string;
  /** Flow-mod flags written among the match (`send_flow_rem`), as OVS takes them there. */
  flags: string[];
  problems: string[];
}

/** VLAN matches all end up in vlan_tci value/mask, as OVS stores them. */
function readVlan(key: string, v: string, tci: { value: number; mask: number }): string | undefined {
  const n = parseInteger(v.split("/")[0]);
  const maskText = v.split("/")[1];
  const m = maskText === undefined ? undefined : parseInteger(maskText);
  if (n === undefined || (maskText !== undefined && m === undefined))
    return `"${v}" is not a number (decimal or 0x-hex)`;
  const put = (value: number, mask: number) => {
    tci.value = (tci.value & ~mask) | (value & mask);
    tci.mask |= mask;
  };
  const noMask = () => (maskText === undefined ? undefined : "takes no mask");
  switch (key) {
    case "dl_vlan":
      if (n === 0xffffn) return noMask() ?? (put(0, 0x1fff), undefined);
      if (n > 4095n) return "must be 0-4095 (or 0xffff for frames without a VLAN header)";
      return noMask() ?? (put(0x1000 | Number(n), 0x1fff), undefined);
    case "dl_vlan_pcp":
    case "vlan_pcp":
      if (n > 7n) return "must be 0-7";
      return noMask() ?? (put(0x1000 | (Number(n) << 13), 0xf000), undefined);
    case "vlan_vid": {
      if (n > 0x1fffn || (m !== undefined && m > 0x1fffn)) return "must be 0-0x1fff (0x1000 means: has a VLAN header)";
      const mask = m === undefined ? 0x1fff : Number(m);
      return (put(Number(n) & mask, mask), undefined);
    }
    default: {
      if (n > 0xffffn || (m !== undefined && m > 0xffffn)) return "must be 0-0xffff";
      const mask = m === undefined ? 0xffff : Number(m);
      return (put(Number(n) & mask, mask), undefined);
    }
  }
}

const hex = (n: number) => "0x" + n.toString(16);

/**
 * Reads a match (`in_port=phy-br-ex,dl_vlan=1`, or as OVS prints it) into its canonical
 * form and every problem found. `ports` maps port numbers to names (live comparisons);
 * without it names and numbers are only checked for syntax.
 */
export function parseMatch(text: string, ports: PortNames = NO_PORT_NAMES): ParsedMatch {
  const problems: string[] = [];
  const items = balanced(text) ? splitTopLevel(text).map(keyValue) : (problems.push("has unbalanced brackets"), []);
  const facts: MatchFacts = { hasVlan: false };
  const seen = new Set<string>();
  const once = (key: string, shown: string) => {
    if (seen.has(key)) problems.push(`${shown} is given twice (or also set by a shorthand like tcp)`);
    seen.add(key);
  };

  // Pass 1: the protocol, which decides prerequisites and field aliases. OVS takes it
  // repeated (`ip,tcp`); only a contradiction (`ip,ipv6`) is refused.
  const setProto = (key: "dlType" | "nwProto", value: number, name: string) => {
    if (facts[key] !== undefined && facts[key] !== value)
      problems.push(`${clip(name)} contradicts the protocol given before it`);
    facts[key] = value;
  };
  for (const [name, value] of items) {
    const short = lookup(SHORTHANDS, name);
    if (short && value === undefined) {
      setProto("dlType", short.dlType, name);
      if (short.nwProto !== undefined) setProto("nwProto", short.nwProto, name);
    } else if ((DL_TYPE.has(name) || NW_PROTO.has(name)) && value !== undefined) {
      const dl = DL_TYPE.has(name);
      const r = integerValue(value, dl ? 16 : 8);
      r.ok
        ? setProto(dl ? "dlType" : "nwProto", Number(BigInt(r.value)), name)
        : problems.push(`${clip(`${name}=${value}`)}: ${r.error}`);
    }
  }

  const entries: string[] = [];
  if (facts.dlType !== undefined) entries.push(`dl_type=${hex(facts.dlType)}`);
  if (facts.nwProto !== undefined) {
    // With arp, nw_proto is the ARP opcode (OVS prints it as arp_op).
    if (NEEDS.arp.test(facts)) (once("arp_op", "nw_proto"), entries.push(`arp_op=${hex(facts.nwProto)}`));
    else if (!NEEDS.ip.test(facts))
      problems.push('nw_proto needs ip, ipv6 or arp first (e.g. "ip,nw_proto=47"); OVS would silently ignore it');
    else entries.push(`nw_proto=${hex(facts.nwProto)}`);
  }

  const tci = { value: 0, mask: 0 };
  const flags: string[] = [];
  for (const [rawName, rawValue] of items) {
    const name = rawName;
    if (lookup(SHORTHANDS, name) && rawValue === undefined) continue;
    if (DL_TYPE.has(name) || NW_PROTO.has(name)) continue;
    const shown = clip(rawValue === undefined ? name : `${name}=${rawValue}`);
    const instead = lookup(NOT_MATCH, name);
    if (instead) {
      problems.push(`${name} is not a match field; use the rule's ${instead} argument`);
      continue;
    }
    if (rawValue === undefined && FLOW_FLAGS.has(name)) {
      flags.push(name);
      continue;
    }
    const other = otherField(name);
    if (other !== undefined) {
      // A field ovslab does not model: OVS reads it (on the host, at plan time); kept as written.
      if (rawValue === undefined || rawValue === "") problems.push(`${clip(name)} needs a value (${clip(name)}=...)`);
      else entries.push(`${other}=${unquote(rawValue)}`);
      continue;
    }
    if (rawValue === undefined || rawValue === "") {
      const known = lookup(MATCH_FIELDS, name) || VLAN_FIELDS.has(name);
      problems.push(known ? `${name} needs a value (${name}=...)` : unknownWord("match field", name, KNOWN_NAMES()));
      continue;
    }
    const value = name === "in_port" ? rawValue : unquote(rawValue);
    if (VLAN_FIELDS.has(name)) {
      once(name === "vlan_pcp" ? "dl_vlan_pcp" : name === "vlan_vid" ? "dl_vlan" : name, name);
      const error = readVlan(name, value, tci);
      if (error) problems.push(`${shown}: ${error}`);
      continue;
    }
    const known = lookup(MATCH_FIELDS, name);
    if (!known) {
      problems.push(unknownWord("match field", name, KNOWN_NAMES()));
      continue;
    }
    let key = known.key;
    if (NEEDS.arp.test(facts) && (key === "nw_src" || key === "nw_dst")) key = key === "nw_src" ? "arp_spa" : "arp_tpa";
    once(key, name);
    if (known.needs && !NEEDS[known.needs].test(facts)) {
      problems.push(
        `${name} needs ${NEEDS[known.needs].say} first (e.g. "${example(known.needs)},${shown}"); ` +
          "OVS would silently ignore it",
      );
      continue;
    }
    const r = known.read(value, ports);
    if (!r.ok) problems.push(`${shown}: ${r.error}`);
    else if (r.value !== "") entries.push(`${key}=${r.value}`); // "": a zero mask, which OVS drops
  }
  // Without a VLAN header (present bit matched as 0) the other TCI bits mean nothing: OVS stores 0/0x1fff.
  if ((tci.mask & 0x1000) !== 0 && (tci.value & 0x1000) === 0) [tci.value, tci.mask] = [0, 0x1fff];
  if (tci.mask !== 0) entries.push(`vlan_tci=${hex(tci.value)}/${hex(tci.mask)}`);
  facts.hasVlan = (tci.mask & 0x1000) !== 0 && (tci.value & 0x1000) !== 0;
  return { ...facts, canonical: entries.sort().join(","), flags: flags.sort(), problems };
}

/** The canonical name of a field ovslab does not model (or its subrange), else undefined. */
function otherField(name: string): string | undefined {
  const bracket = name.indexOf("[");
  const base = bracket < 0 ? name : name.slice(0, bracket);
  const known = OTHER_FIELDS.has(base) || (bracket >= 0 && lookup(MATCH_FIELDS, base) !== undefined);
  if (!known) return undefined;
  return bracket < 0 ? name : `${lookup(MATCH_FIELDS, base)?.key ?? base}${name.slice(bracket)}`;
}

function example(needs: Prerequisite): string {
  return { ip: "ip", ipv4OrArp: "ip", ipOrArp: "ip", ipv6: "ipv6", arp: "arp", l4: "tcp", tcp: "tcp", icmp: "icmp" }[
    needs
  ];
}

/** Problems with a match as a user wrote it (characters first: nothing else is read then). */
export function matchProblems(text: string): string[] {
  const bad = badCharacter(text);
  return bad ? [bad] : parseMatch(text).problems;
}
