// IPv4/IPv6 addresses and prefixes as plain data: parse, print in the form `ip` prints
// (so a spec compares equal to what the host reports), and test subnet membership.
// Hand-written rather than node:net so the core stays free of runtime imports.

export type Family = 4 | 6;

export interface IpAddress {
  family: Family;
  /** The address as a number: 32 or 128 bits. */
  value: bigint;
}

/** An address with a prefix length: an interface address (`10.0.0.1/24`) or a subnet (`10.0.0.0/24`). */
export interface Cidr extends IpAddress {
  prefix: number;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function bitsOf(family: Family): number {
  return BITS[family];
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => DECIMAL_OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for the last two groups.
  if (text.includes(".")) {
    const lastColon = text.lastIndexOf(":");
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    return parseIpv6(`${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (![...left, ...right].every((g) => HEX_GROUP.test(g))) return undefined;
  const given = left.length + right.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const zeros: string[] = Array(8 - given).fill("0");
  return [...left, ...(halves.length === 2 ? zeros : []), ...right].reduce(
    (acc, g) => (acc << 16n) | BigInt(`0x${g}`),
    0n,
  );
}

/** An IPv4 or IPv6 address without a prefix; undefined when it is neither. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(":")) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** `addr/prefix`; undefined unless both parts are valid for the address's family. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= BITS[ip.family] ? { ...ip, prefix } : undefined;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** RFC 5952 text, as glibc's inet_ntop (and so `ip`) prints it. */
function formatIpv6(value: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (the first one on a tie).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  // glibc prints IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) tails dotted.
  if (best.start === 0 && (best.length === 6 || (best.length === 5 && words[5] === 0xffff))) {
    return `::${best.length === 5 ? "ffff:" : ""}${formatIpv4(value & 0xffffffffn)}`;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (best.start < 0) return hex(words);
  return `${hex(words.slice(0, best.start))}::${hex(words.slice(best.start + best.length))}`;
}

export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr)}/${cidr.prefix}`;
}

function hostMask(cidr: Cidr): bigint {
  return (1n << BigInt(BITS[cidr.family] - cidr.prefix)) - 1n;
}

/** The subnet an address lies in: `10.0.0.1/24` -> `10.0.0.0/24`. */
export function networkOf(cidr: Cidr): Cidr {
  return { ...cidr, value: cidr.value & ~hostMask(cidr) };
}

export function isNetworkAddress(cidr: Cidr): boolean {
  return (cidr.value & hostMask(cidr)) === 0n;
}

/** The IPv4 broadcast address of the subnet (undefined for IPv6 and for /31, /32). */
export function broadcastOf(cidr: Cidr): IpAddress | undefined {
  if (cidr.family !== 4 || cidr.prefix >= 31) return undefined;
  return { family: 4, value: cidr.value | hostMask(cidr) };
}

export function contains(subnet: Cidr, ip: IpAddress): boolean {
  return subnet.family === ip.family && networkOf({ ...ip, prefix: subnet.prefix }).value === networkOf(subnet).value;
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}
