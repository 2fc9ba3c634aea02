// Host key verification: a pinned key or fingerprint, else known_hosts, else refuse.
// pulumi-command connects to any host when `hostKey` is absent; we do not.
import { createHash, createHmac } from "node:crypto";

/** `SHA256:...` as `ssh-keygen -lf` prints it (base64 without padding). */
export function fingerprint(keyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

/** The algorithm name at the start of an SSH public key blob (`ssh-ed25519`). */
export function keyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString("latin1");
}

/** The name known_hosts uses for a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Host key algorithms to offer for a key type; an RSA key signs with any of three. */
export function algorithmsFor(type: string): string[] {
  return type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type];
}

export type KnownHostsMatch =
  | { status: "match" }
  | { status: "unknown" }
  /** The host is listed, but with other keys: a re-created host or a man in the middle. */
  | { status: "mismatch"; line: number }
  | { status: "revoked"; line: number };

interface KnownHostsEntry {
  line: number;
  marker?: string;
  patterns: string;
  type: string;
  blob: Buffer;
}

function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith("#")) return;
    const marker = fields[0].startsWith("@") ? fields.shift() : undefined;
    const [patterns, type, base64] = fields;
    if (!patterns || !type || !base64) return;
    entries.push({ line: index + 1, marker, patterns, type, blob: Buffer.from(base64, "base64") });
  });
  return entries;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

/** One known_hosts pattern: hashed `|1|salt|hash` (HMAC-SHA1 of the name) or a glob. */
function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith("|1|")) {
    const [, , salt, hash] = pattern.split("|");
    if (!salt || !hash) return false;
    const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return digest === hash;
  }
  return globToRegExp(pattern).test(name);
}

/** A comma list of patterns matches when one matches and no negated (`!`) one does. */
function hostMatches(patterns: string, name: string): boolean {
  let matched = false;
  for (const p of patterns.split(",")) {
    if (p.startsWith("!")) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) matched = true;
  }
  return matched;
}

/** Looks `key` up for `name` the way OpenSSH does; certificate authorities are not supported. */
export function matchKnownHosts(text: string, name: string, key: Buffer): KnownHostsMatch {
  const entries = parseKnownHosts(text).filter((e) => hostMatches(e.patterns, name));
  const revoked = entries.find((e) => e.marker === "@revoked" && e.blob.equals(key));
  if (revoked) return { status: "revoked", line: revoked.line };
  const plain = entries.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.blob.equals(key))) return { status: "match" };
  const sameType = plain.find((e) => e.type === keyType(key));
  const other = sameType ?? plain[0];
  return other ? { status: "mismatch", line: other.line } : { status: "unknown" };
}

/** Key types known_hosts lists for `name`, so we can ask the server for one of those. */
export function knownHostKeyTypes(text: string, name: string): string[] {
  const types = parseKnownHosts(text)
    .filter((e) => e.marker === undefined && hostMatches(e.patterns, name))
    .map((e) => e.type);
  return [...new Set(types)];
}

/** A pin from `Connection.hostKey`: a whole public key line or a SHA256 fingerprint. */
export type HostKeyPin = { kind: "fingerprint"; fingerprint: string } | { kind: "key"; type: string; blob: Buffer };

export function parseHostKeyPin(pin: string): HostKeyPin {
  const trimmed = pin.trim();
  if (trimmed.startsWith("SHA256:")) return { kind: "fingerprint", fingerprint: trimmed.replace(/=+$/, "") };
  const [type, base64] = trimmed.split(/\s+/);
  return { kind: "key", type: type ?? "", blob: Buffer.from(base64 ?? "", "base64") };
}

export function pinMatches(pin: HostKeyPin, key: Buffer): boolean {
  return pin.kind === "fingerprint" ? fingerprint(key) === pin.fingerprint : pin.blob.equals(key);
}
