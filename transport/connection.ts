// How to reach a host over SSH. The shape is @pulumi/command 1.2.x `remote.ConnectionArgs`
// so one connection object serves both packages; ovslab adds host key verification,
// which pulumi-command skips when `hostKey` is absent.
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Bastion settings as pulumi-command names them: a connection's own fields, without a
 * proxy of its own. Accepted by the type, refused by the schema (not supported yet).
 */
export type ProxyConnectionArgs = Omit<ConnectionArgs, "proxy" | "knownHostsPath" | "skipHostKeyCheck">;

/** What a user writes; every field has the meaning it has in pulumi-command. */
export interface ConnectionArgs {
  /** The address of the host. */
  host: string;
  /** TCP port of sshd. Default `22`. */
  port?: number;
  /** Login user; commands run as root, through `sudo -n` for any other user. Default `root`. */
  user?: string;
  /** Password authentication. Secret. */
  password?: string;
  /** Private key text (OpenSSH or PEM); preferred over the password. Secret. */
  privateKey?: string;
  /** Passphrase of an encrypted `privateKey`. Secret. */
  privateKeyPassword?: string;
  /** ssh-agent socket. Default: environment variable `SSH_AUTH_SOCK` when set. */
  agentSocketPath?: string;
  /** Failed dial attempts allowed before giving up; `-1` means no limit. Default `10`. */
  dialErrorLimit?: number;
  /** Seconds allowed for each dial attempt (TCP, handshake, login); `0` means no limit. Default `15`. */
  perDialTimeout?: number;
  /** Expected host key: a public key line (`ssh-ed25519 AAAA...`) or a fingerprint (`SHA256:...`). */
  hostKey?: string;
  /** Bastion host. Not supported yet: rejected by validation. */
  proxy?: ProxyConnectionArgs;
  /** known_hosts file consulted when `hostKey` is absent. Default `~/.ssh/known_hosts`. */
  knownHostsPath?: string;
  /** Connect without verifying the host key (insecure, logs a warning). Default `false`. */
  skipHostKeyCheck?: boolean;
}

/** A validated connection with defaults applied. */
export type Connection = ConnectionArgs &
  Required<
    Pick<ConnectionArgs, "port" | "user" | "dialErrorLimit" | "perDialTimeout" | "knownHostsPath" | "skipHostKeyCheck">
  >;

const PUBLIC_KEY_LINE = /^(ssh|ecdsa|sk)-[a-z0-9@.-]+ [A-Za-z0-9+/]{20,}={0,2}( .*)?$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

const text = z.string().min(1, "must not be empty");

export const connectionSchema = z.object({
  host: text,
  port: z.number().int().min(1).max(65535).default(22),
  user: text.default("root"),
  password: z.string().optional(),
  privateKey: z.string().optional(),
  privateKeyPassword: z.string().optional(),
  agentSocketPath: z.string().optional(),
  dialErrorLimit: z.number().int().min(-1).default(10),
  perDialTimeout: z.number().min(0).default(15),
  hostKey: z
    .string()
    .trim()
    .refine((k) => PUBLIC_KEY_LINE.test(k) || FINGERPRINT.test(k), {
      message: 'must be a public key line ("ssh-ed25519 AAAA...") or a fingerprint ("SHA256:...")',
    })
    .optional(),
  proxy: z
    .custom<ProxyConnectionArgs>()
    .refine((p) => p === undefined, { message: "bastion (proxy) connections are not supported yet" })
    .optional(),
  knownHostsPath: text.default("~/.ssh/known_hosts"),
  skipHostKeyCheck: z.boolean().default(false),
}) satisfies z.ZodType<Connection, ConnectionArgs>;

/** Validates and applies defaults; throws one error listing every problem with its path. */
export function parseConnection(args: ConnectionArgs | Connection): Connection {
  const result = connectionSchema.safeParse(args);
  if (result.success) return result.data;
  // Only paths and rules: a value here could be a secret.
  const problems = result.error.issues.map((i) => `connection.${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid connection: ${problems.join("; ")}`);
}

/** `ssh root@127.0.0.1:2222`: who we talk to, for messages. Never holds a secret. */
export function connectionLabel(c: ConnectionArgs): string {
  const host = c.host.includes(":") ? `[${c.host}]` : c.host;
  return `ssh ${c.user ?? "root"}@${host}:${c.port ?? 22}`;
}

/** Pooling key: same host, user and credentials share a transport. Secrets enter only hashed. */
export function connectionKey(c: ConnectionArgs | Connection): string {
  const parsed = parseConnection(c);
  const fields = Object.keys(parsed)
    .sort()
    .map((k) => [k, parsed[k as keyof Connection]]);
  const digest = createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 16);
  return `${connectionLabel(parsed)}#${digest}`;
}

/** The secret strings of a connection, to scrub from any message before it leaves us. */
export function connectionSecrets(c: ConnectionArgs): string[] {
  const secrets: string[] = [];
  for (const s of [c.password, c.privateKeyPassword, c.privateKey]) if (s) secrets.push(s);
  // A key could be echoed line by line (e.g. a parser quoting the offending line).
  for (const line of (c.privateKey ?? "").split(/\r?\n/)) {
    const t = line.trim();
    if (t.length >= 8 && !t.startsWith("-----")) secrets.push(t);
  }
  return secrets.sort((a, b) => b.length - a.length);
}

/** Replaces every secret of the connection in `message` with `[redacted]`. */
export function redact(message: string, c: ConnectionArgs): string {
  let out = message;
  for (const s of connectionSecrets(c)) out = out.split(s).join("[redacted]");
  return out;
}
