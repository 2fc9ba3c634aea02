// Opening an authenticated SSH connection: TCP, handshake, host key check, login.
// Retries live here and only here, on classified transient errors (pulumi-command's
// `dialWithRetry`): a refused or reset TCP connection, a timed-out dial, a handshake cut
// short while sshd restarts. Wrong keys, passwords and host keys fail at once.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import * as net from "node:net";
import { AuthenticationType, Client, ConnectConfig, ServerHostKeyAlgorithm } from "ssh2";
import { Connection, connectionLabel, redact } from "./connection";
import {
  algorithmsFor,
  fingerprint,
  keyType,
  knownHostKeyTypes,
  knownHostsName,
  matchKnownHosts,
  parseHostKeyPin,
  pinMatches,
} from "./hostkeys";

/** A failed dial; `transient` says whether trying again may help. Its message holds no secret. */
export class DialError extends Error {
  constructor(message: string, readonly transient: boolean) {
    super(message);
    this.name = "DialError";
  }
}

export interface Dialed {
  client: Client;
  socket: net.Socket;
}

export interface DialHooks {
  /** Called on each handshake where `skipHostKeyCheck` lets an unverified key through. */
  warn(message: string): void;
  /** Delay before retry `n` (1-based), for tests that do not want to wait. */
  retryDelayMs?(n: number): number;
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
const TRANSIENT_MESSAGES = [
  /timed out while waiting for handshake/i,
  /connection lost before handshake/i,
  /closed during handshake/i,
];

/** Transient: the host may answer if we try again (sshd restarting, a port not yet open). */
export function isTransientDialError(err: unknown): boolean {
  if (err instanceof DialError) return err.transient;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  return typeof message === "string" && TRANSIENT_MESSAGES.some((re) => re.test(message));
}

// ssh2 1.17's default host key algorithms, so we can reorder rather than restrict them.
const HOST_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

/** Decides whether a host key is trusted; returns why not, or undefined when it is. */
interface HostKeyPolicy {
  preferredTypes: string[];
  refusal(key: Buffer): string | undefined;
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

async function hostKeyPolicy(c: Connection, warn: (m: string) => void): Promise<HostKeyPolicy> {
  const label = connectionLabel(c);
  if (c.hostKey) {
    const pin = parseHostKeyPin(c.hostKey);
    return {
      preferredTypes: pin.kind === "key" ? [pin.type] : [],
      refusal: (key) =>
        pinMatches(pin, key)
          ? undefined
          : `${label}: host key ${fingerprint(key)} (${keyType(key)}) does not match the pinned hostKey ` +
            `${pin.kind === "key" ? fingerprint(pin.blob) : pin.fingerprint}: the host was re-created or someone ` +
            `is in the middle; refusing to connect`,
    };
  }
  if (c.skipHostKeyCheck) {
    return {
      preferredTypes: [],
      refusal: (key) => {
        warn(`${label}: WARNING: host key ${fingerprint(key)} accepted WITHOUT verification (skipHostKeyCheck: true)`);
        return undefined;
      },
    };
  }
  const path = expandHome(c.knownHostsPath);
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw new DialError(`${label}: cannot read known_hosts ${path}: ${err.message}`, false);
  });
  const name = knownHostsName(c.host, c.port);
  return {
    preferredTypes: knownHostKeyTypes(text, name),
    refusal: (key) => {
      const seen = `${label}: host key ${fingerprint(key)} (${keyType(key)})`;
      const found = matchKnownHosts(text, name, key);
      switch (found.status) {
        case "match":
          return undefined;
        case "revoked":
          return `${seen} is marked @revoked in ${path} line ${found.line}; refusing to connect`;
        case "mismatch":
          return (
            `${seen} does not match the key for ${name} in ${path} line ${found.line}: the host was re-created ` +
            `or someone is in the middle; refusing to connect. If the host was re-created, remove the old ` +
            `entry with \`ssh-keygen -R '${name}' -f ${path}\``
          );
        case "unknown":
          return (
            `${seen} is not trusted: no hostKey is pinned and ${path} has no entry for ${name}. ` +
            `Check the fingerprint on the host (\`ssh-keygen -lf /etc/ssh/ssh_host_${keyType(key).replace(/^ssh-/, "")}_key.pub\`), ` +
            `then pin it with hostKey: "${fingerprint(key)}", or add it to known_hosts ` +
            `(\`ssh-keyscan -p ${c.port} ${c.host} >> ${path}\`), or set skipHostKeyCheck: true to connect ` +
            `without verification (insecure)`
          );
      }
    },
  };
}

function hostKeyAlgorithms(preferredTypes: string[]): string[] {
  const preferred = preferredTypes.flatMap(algorithmsFor).filter((a) => HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

function describe(err: unknown, c: Connection, methods: string[]): string {
  const { message, code, level } = err as { message?: string; code?: string; level?: string };
  if (level === "client-authentication") return `login as ${c.user} refused (tried ${methods.join(", ")})`;
  return [code && !String(message).includes(code) ? code : undefined, message ?? String(err)]
    .filter(Boolean)
    .join(": ");
}

function authMethods(c: Connection, agent: string | undefined): AuthenticationType[] {
  const methods: AuthenticationType[] = [];
  if (c.privateKey) methods.push("publickey");
  if (agent) methods.push("agent");
  if (c.password !== undefined) methods.push("password");
  return methods;
}

function dialOnce(c: Connection, policy: HostKeyPolicy): Promise<Dialed> {
  const label = connectionLabel(c);
  const agent = c.agentSocketPath ?? process.env.SSH_AUTH_SOCK;
  const methods = authMethods(c, agent);
  return new Promise((resolve, reject) => {
    // noDelay: commands are small writes, and Nagle plus delayed ACKs adds ~40 ms to each.
    // keepAlive: the kernel notices a dead peer; an ssh2 keepalive timer would hold the process.
    const socket = net.connect({
      host: c.host,
      port: c.port,
      noDelay: true,
      keepAlive: true,
      keepAliveInitialDelay: 15_000,
    });
    const client = new Client();
    let refusal: string | undefined;
    let settled = false;
    const timer =
      c.perDialTimeout > 0
        ? setTimeout(
            () => fail(new DialError(`${label}: dial timed out after ${c.perDialTimeout} s`, true)),
            c.perDialTimeout * 1000,
          )
        : undefined;
    function fail(err: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      socket.destroy();
      if (refusal !== undefined) return reject(new DialError(refusal, false));
      if (err instanceof DialError) return reject(err);
      reject(new DialError(redact(`${label}: ${describe(err, c, methods)}`, c), isTransientDialError(err)));
    }
    client.on("error", fail);
    client.on("close", () => fail(new DialError(`${label}: connection closed during handshake`, true)));
    client.once("ready", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ client, socket });
    });
    const config: ConnectConfig = {
      sock: socket,
      username: c.user,
      password: c.password,
      privateKey: c.privateKey,
      passphrase: c.privateKeyPassword,
      agent,
      // pulumi-command's order: the key takes preference over the password.
      authHandler: methods,
      readyTimeout: 0, // our own timer covers the whole attempt (perDialTimeout)
      algorithms: { serverHostKey: hostKeyAlgorithms(policy.preferredTypes) as ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer) => {
        refusal = policy.refusal(key);
        return refusal === undefined;
      },
    };
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 throws synchronously on a key it cannot parse: not worth a retry.
      fail(new DialError(redact(`${label}: ${describe(err, c, methods)}`, c), false));
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Dials until connected, a permanent error, or `dialErrorLimit` failed attempts. */
export async function dialWithRetry(c: Connection, hooks: DialHooks): Promise<Dialed> {
  const label = connectionLabel(c);
  if (c.proxy) throw new DialError(`${label}: bastion (proxy) connections are not supported yet`, false);
  if (authMethods(c, c.agentSocketPath ?? process.env.SSH_AUTH_SOCK).length === 0) {
    throw new DialError(
      `${label}: no credentials: set privateKey, password or agentSocketPath (or SSH_AUTH_SOCK)`,
      false,
    );
  }
  const policy = await hostKeyPolicy(c, hooks.warn);
  const limit = c.dialErrorLimit < 0 ? Infinity : Math.max(1, c.dialErrorLimit);
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialOnce(c, policy);
    } catch (err) {
      const dialError = err as DialError;
      if (!dialError.transient) throw dialError;
      if (attempt >= limit) {
        throw new DialError(`${dialError.message} (gave up after ${attempt} attempt${attempt === 1 ? "" : "s"})`, true);
      }
      await sleep(hooks.retryDelayMs?.(attempt) ?? Math.min(100 * 2 ** (attempt - 1), 2000));
    }
  }
}
