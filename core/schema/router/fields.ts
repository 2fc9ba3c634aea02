// Field-level rules for RouterNamespace values: each checks one string and says what is
// wrong with it; the router schema adds the rules that span fields (subnets, duplicates).
import { z } from "zod";
import {
  bitsOf,
  Cidr,
  formatCidr,
  formatIp,
  IpAddress,
  isNetworkAddress,
  networkOf,
  parseCidr,
  parseIp,
} from "../../net/address";

/** A problem with one value, or undefined when it is fine. */
type Rule = (text: string) => string | undefined;

/** A zod string checked by `rule`, its message naming what was wrong. */
export function checkedString(rule: Rule): z.ZodString {
  return z.string().superRefine((text, ctx) => {
    const problem = rule(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

function prefixProblem(text: string): string | undefined {
  const [ip, prefix, ...rest] = text.split("/");
  const address = parseIp(ip);
  if (!address) return `"${ip}" is not an IPv4 or IPv6 address`;
  const bits = bitsOf(address.family);
  if (rest.length || !/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > bits) {
    return `"${text}": the prefix length must be 0-${bits} for an IPv${address.family} address`;
  }
  return undefined;
}

/** An interface address with its prefix length: `10.0.0.1/24`, `fd00::1/64`. */
export const interfaceAddressRule: Rule = (text) => {
  if (!text.includes("/")) return `"${text}" needs a prefix length, e.g. 10.0.0.1/24 or fd00::1/64`;
  const bad = prefixProblem(text);
  if (bad) return bad;
  const cidr = parseCidr(text)!;
  if (cidr.prefix === 0) return `"${text}": a /0 address would claim every destination as connected`;
  // The subnet's own number (all host bits zero) is not a host address.
  if (cidr.prefix < bitsOf(cidr.family) - 1 && isNetworkAddress(cidr))
    return `"${text}" is the network address of its subnet, not a host address`;
  return undefined;
};

/** A subnet: `10.0.0.0/24`, host bits zero (the kernel and iptables store it that way). */
export function subnetRule(o: { family?: 4; allowZero?: boolean }): Rule {
  return (text) => {
    if (!text.includes("/")) return `"${text}" needs a prefix length, e.g. 10.0.0.0/24`;
    const bad = prefixProblem(text);
    if (bad) return bad;
    const cidr = parseCidr(text)!;
    if (o.family && cidr.family !== o.family) return `"${text}" is IPv6; this rule is IPv4 only (iptables NAT)`;
    if (cidr.prefix === 0 && !o.allowZero) return `"${text}" covers everything: write "default" instead`;
    if (!isNetworkAddress(cidr)) return `"${text}" has host bits set: did you mean ${formatCidr(networkOf(cidr))}?`;
    return undefined;
  };
}

/** One host address, no prefix: a gateway, a floating or fixed IP, a SNAT source. */
export function hostRule(o: { family?: 4 }): Rule {
  return (text) => {
    if (text.includes("/")) {
      const cidr = parseCidr(text);
      if (cidr && cidr.prefix === bitsOf(cidr.family)) return `"${text}": write the address without /${cidr.prefix}`;
      return `"${text}" is a network; a single host address is needed`;
    }
    const ip = parseIp(text);
    if (!ip) return `"${text}" is not an IPv4 or IPv6 address`;
    if (o.family && ip.family !== o.family) return `"${text}" is IPv6; this rule is IPv4 only (iptables NAT)`;
    return undefined;
  };
}

export const routeDestinationRule: Rule = (text) => (text === "default" ? undefined : subnetRule({})(text));

const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

export const macRule: Rule = (text) => {
  if (!MAC.test(text)) return `"${text}" is not a MAC address like fa:16:3e:12:34:56`;
  if (parseInt(text.slice(0, 2), 16) & 1) return `"${text}" is a multicast address; an interface needs a unicast one`;
  if (/^(00:){5}00$/.test(text)) return `"${text}" is all zeros`;
  return undefined;
};

const NETNS = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A network namespace name: a file under /run/netns and an argument to `ip netns`. */
export const namespaceRule: Rule = (text) => {
  const bytes = Buffer.byteLength(text);
  if (bytes < 1 || bytes > 64) return "must be 1-64 bytes (a network namespace name)";
  if (!NETNS.test(text)) return "may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-'";
  return undefined;
};

const SYSCTL_KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_/-]+)+$/;
export const sysctlKeyRule: Rule = (key) =>
  SYSCTL_KEY.test(key) ? undefined : `sysctl key "${key}" must look like net.ipv4.ip_forward (dots between parts)`;
export const sysctlValueRule: Rule = (value) =>
  /^[^\x00-\x1f\x7f]*$/.test(value) && value.trim() !== ""
    ? undefined
    : "must be a non-empty value without control characters";

// Canonical text, the form `ip` and iptables-save print, so specs compare equal to live state.
export const canonicalIp = (text: string): string => formatIp(parseIp(text)!);
export const canonicalCidr = (text: string): string => formatCidr(parseCidr(text)!);
export const canonicalMac = (text: string): string => text.toLowerCase();

/** Parses what a field rule already accepted; undefined for values it rejected. */
export function cidrOf(text: string): Cidr | undefined {
  return parseCidr(text);
}

export function ipOf(text: string): IpAddress | undefined {
  return text.includes("/") ? undefined : parseIp(text);
}
