// The OpenFlow cookie that marks a resource's flows as its own. Derived from the kind and
// the owner (`<project>/<stack>/<name>`), so it is stable across updates and unique per
// resource, like Neutron's per-agent cookie; everything we read, rewrite or delete is
// filtered by it (`cookie=C/-1`), so flows with any other cookie are never touched.
import { createHash } from "node:crypto";
import { z } from "zod";

/** Top 16 bits of every derived cookie: "ov" in ASCII, so `dump-flows` shows whose flows they are. */
export const DERIVED_COOKIE_PREFIX = 0x6f76n;
const ALL_ONES = (1n << 64n) - 1n;

/**
 * `0x6f76` + 48 bits of SHA-256 over kind and owner. Never 0 (everyone's default) or
 * all-ones (reserved by OpenFlow).
 */
export function derivedCookie(kind: string, owner: string): string {
  const digest = createHash("sha256").update(`${kind}\0${owner}`).digest();
  const low = digest.readUIntBE(0, 6);
  return formatCookie((DERIVED_COOKIE_PREFIX << 48n) | BigInt(low));
}

/** Whether a cookie is one ovslab derives (any owner's): flows under it are never adopted. */
export function isDerivedCookie(text: string): boolean {
  const n = parseCookie(text);
  return n !== undefined && n >> 48n === DERIVED_COOKIE_PREFIX;
}

/** As OVS prints it: `0x` and lowercase hex without leading zeros. */
export function formatCookie(cookie: bigint): string {
  return "0x" + cookie.toString(16);
}

export function parseCookie(text: string): bigint | undefined {
  if (/^0x[0-9a-fA-F]{1,16}$/.test(text) || /^[0-9]{1,20}$/.test(text)) {
    const n = BigInt(text);
    return n <= ALL_ONES ? n : undefined;
  }
  return undefined;
}

/** An explicit cookie: the user vouches that no one else's flows carry it. */
export const cookieSchema = z.string({ message: 'must be a string like "0x1f"' }).superRefine((text, ctx) => {
  const n = parseCookie(text);
  if (n === undefined)
    ctx.addIssue({ code: "custom", message: 'must be a 64-bit number, 0x-hex or decimal (e.g. "0x1f")' });
  else if (n === 0n)
    ctx.addIssue({
      code: "custom",
      message: "must not be 0: that is the cookie of every flow added without one, which ovslab would then own",
    });
  else if (n === ALL_ONES)
    ctx.addIssue({ code: "custom", message: "must not be 0xffffffffffffffff (reserved by OpenFlow)" });
});

/** The cookie a resource's flows carry: the explicit one, else the derived one. */
export function cookieOf(spec: { cookie?: string }, kind: string, owner: string): string {
  return spec.cookie !== undefined ? formatCookie(BigInt(spec.cookie)) : derivedCookie(kind, owner);
}
