// Values of the flow language, each read into ONE canonical spelling so that what a user
// writes (`dl_vlan=0x1`, `nw_src=10.0.0.5/255.255.255.0`, `dl_src=0:1:2:3:4:AA`) and what
// OVS prints back (`dl_vlan=1`, `nw_src=10.0.0.0/24`, `dl_src=00:01:02:03:04:aa`) compare
// equal. Like OVS, a mask is applied to its value, a full mask is dropped, and a zero mask
// (`nw_dst=0.0.0.0/0`) reads as "" (the field matches everything and OVS drops it).
import { clip } from "./syntax";

export type Parsed = { ok: true; value: string } | { ok: false; error: string };
const ok = (value: string): Parsed => ({ ok: true, value });
const fail = (error: string): Parsed => ({ ok: false, error });

const allOnes = (bits: number) => (1n << BigInt(bits)) - 1n;

/** Decimal or 0x-hex, as OVS reads integers. */
export function parseInteger(text: string): bigint | undefined {
  if (/^[0-9]+$/.test(text)) return BigInt(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return BigInt(text);
  return undefined;
}

function hex(n: bigint): string {
  return "0x" + n.toString(16);
}

/** An unsigned integer of `bits`, optionally `/mask`ed when the field allows it. */
export function integerValue(text: string, bits: number, o: { maskable?: boolean; max?: bigint } = {}): Parsed {
  const [v, m, extra] = text.split("/");
  if (extra !== undefined) return fail(`"${clip(text)}" has more than one "/"`);
  const value = parseInteger(v);
  const max = o.max ?? allOnes(bits);
  if (value === undefined) return fail(`"${clip(v)}" is not a number (decimal or 0x-hex)`);
  if (value > max) return fail(`must be 0-${max}`);
  if (m === undefined) return ok(hex(value));
  if (!o.maskable) return fail("takes no mask");
  const mask = parseInteger(m);
  if (mask === undefined || mask > allOnes(bits)) return fail(`mask "${clip(m)}" is not a ${bits}-bit number`);
  if (mask === 0n) return ok(""); // matches everything: OVS drops the field
  return ok(mask === allOnes(bits) ? hex(value) : `${hex(value & mask)}/${hex(mask)}`);
}

const MAC = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

function macBits(text: string): bigint | undefined {
  if (!MAC.test(text)) return undefined;
  return text.split(":").reduce((acc, part) => (acc << 8n) | BigInt(parseInt(part, 16)), 0n);
}

function macText(n: bigint): string {
  const bytes: string[] = [];
  for (let i = 5; i >= 0; i--) bytes.push(((n >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, "0"));
  return bytes.join(":");
}

/** `00:11:22:33:44:55[/ff:ff:ff:00:00:00]`. */
export function macValue(text: string, o: { maskable?: boolean } = { maskable: true }): Parsed {
  const [v, m, extra] = text.split("/");
  const value = macBits(v);
  if (value === undefined || extra !== undefined)
    return fail(`"${clip(text)}" is not an Ethernet address (xx:xx:xx:xx:xx:xx)`);
  if (m === undefined) return ok(macText(value));
  if (!o.maskable) return fail("takes no mask");
  const mask = macBits(m);
  if (mask === undefined) return fail(`mask "${clip(m)}" is not an Ethernet address`);
  if (mask === 0n) return ok("");
  return ok(mask === allOnes(48) ? macText(value) : `${macText(value & mask)}/${macText(mask)}`);
}

function ipv4Bits(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join(".");
}

/** Prefix length of a contiguous mask, else undefined. */
function prefixLength(mask: bigint, bits: number): number | undefined {
  for (let len = 0; len <= bits; len++) {
    if (mask === ((allOnes(len) << BigInt(bits - len)) & allOnes(bits))) return len;
  }
  return undefined;
}

/** `10.0.0.0/24`, `10.0.0.0/255.255.255.0` or `10.0.0.1`: printed as OVS does (prefix form, /32 dropped). */
export function ipv4Value(text: string, o: { maskable?: boolean } = { maskable: true }): Parsed {
  const [v, m, extra] = text.split("/");
  const value = ipv4Bits(v);
  if (value === undefined || extra !== undefined) return fail(`"${clip(text)}" is not an IPv4 address`);
  if (m === undefined) return ok(ipv4Text(value));
  if (!o.maskable) return fail("takes no mask");
  let mask: bigint | undefined;
  if (/^[0-9]{1,2}$/.test(m) && Number(m) <= 32) mask = (allOnes(Number(m)) << BigInt(32 - Number(m))) & allOnes(32);
  else mask = ipv4Bits(m);
  if (mask === undefined) return fail(`mask "${clip(m)}" is neither a prefix length (0-32) nor an IPv4 mask`);
  const len = prefixLength(mask, 32);
  if (len === 0) return ok("");
  if (len === 32) return ok(ipv4Text(value));
  return ok(`${ipv4Text(value & mask)}/${len !== undefined ? len : ipv4Text(mask)}`);
}

function ipv6Bits(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(":")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  let head = groups(halves[0]);
  let tail = halves.length === 2 ? groups(halves[1]) : [];
  // A trailing dotted quad (::ffff:1.2.3.4) counts as two groups.
  const last = (tail.length ? tail : head).at(-1);
  if (last?.includes(".")) {
    const v4 = ipv4Bits(last);
    if (v4 === undefined) return undefined;
    const pair = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    if (tail.length) tail = [...tail.slice(0, -1), ...pair];
    else head = [...head.slice(0, -1), ...pair];
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function ipv6Text(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(":"); // uncompressed: only compared, never shown to OVS
}

/** `2001:db8::1`, `2001:db8::/32`. */
export function ipv6Value(text: string, o: { maskable?: boolean } = { maskable: true }): Parsed {
  const slash = text.lastIndexOf("/");
  const v = slash < 0 ? text : text.slice(0, slash);
  const m = slash < 0 ? undefined : text.slice(slash + 1);
  const value = ipv6Bits(v);
  if (value === undefined) return fail(`"${clip(text)}" is not an IPv6 address`);
  if (m === undefined) return ok(ipv6Text(value));
  if (!o.maskable) return fail("takes no mask");
  let mask: bigint | undefined;
  if (/^[0-9]{1,3}$/.test(m) && Number(m) <= 128) mask = (allOnes(Number(m)) << BigInt(128 - Number(m))) & allOnes(128);
  else mask = ipv6Bits(m);
  if (mask === undefined) return fail(`mask "${clip(m)}" is neither a prefix length (0-128) nor an IPv6 mask`);
  if (mask === allOnes(128)) return ok(ipv6Text(value));
  if (mask === 0n) return ok("");
  return ok(`${ipv6Text(value & mask)}/${ipv6Text(mask)}`);
}

/**
 * Flag fields (`ct_state=+trk-new`, `tcp_flags=+syn-ack`) or their numeric form
 * (`0x22/0x22`), both read into value/mask.
 */
export function flagsValue(text: string, flags: Record<string, number>, bits: number): Parsed {
  if (/^[+-]/.test(text)) {
    let value = 0n;
    let mask = 0n;
    for (const [, sign, name] of text.matchAll(/([+-])([a-z_]+)/g)) {
      const bit = Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : undefined;
      if (bit === undefined) return fail(`unknown flag "${clip(name, 40)}" (known: ${Object.keys(flags).join(", ")})`);
      mask |= BigInt(bit);
      if (sign === "+") value |= BigInt(bit);
    }
    if (text.replace(/[+-][a-z_]+/g, "") !== "") return fail(`"${clip(text)}" is not a list of +flag/-flag`);
    return ok(mask === allOnes(bits) ? hex(value) : `${hex(value)}/${hex(mask)}`);
  }
  return integerValue(text, bits, { maskable: true });
}

/** Reads a value whose type is not known in advance (set_field, nat): MAC, IPv4, IPv6, integer, else as written. */
export function anyValue(text: string): string {
  for (const parse of [macValue, ipv4Value, ipv6Value]) {
    const r = parse(text);
    if (r.ok) return r.value;
  }
  const [v, m] = text.split("/");
  const value = parseInteger(v);
  const mask = m === undefined ? undefined : parseInteger(m);
  if (value !== undefined && (m === undefined || mask !== undefined)) {
    return mask === undefined ? hex(value) : `${hex(value & mask)}/${hex(mask)}`;
  }
  return text.toLowerCase();
}
