// A lab host's connection as stack config: the keys the example reads (`ovslab:host`,
// `ovslab:port`, `ovslab:user`, `ovslab:privateKey` as a secret, `ovslab:hostKey`).
export interface HostConnection {
  host: string;
  port: number;
  user: string;
  privateKey: string;
  /** Public key line or `SHA256:` fingerprint. */
  hostKey: string;
}

export interface ConfigEntry {
  value: string;
  secret?: boolean;
}

export function hostConfig(connection: HostConnection): Record<string, ConfigEntry> {
  return {
    "ovslab:host": { value: connection.host },
    "ovslab:port": { value: String(connection.port) },
    "ovslab:user": { value: connection.user },
    "ovslab:privateKey": { value: connection.privateKey, secret: true },
    "ovslab:hostKey": { value: connection.hostKey },
  };
}

/**
 * One host of a program that spans hosts (sdk `namedHostConnection`): its keys under the
 * config namespace named after it, `compute-1:host`, ..., and its underlay address.
 */
export function namedHostConfig(
  name: string,
  connection: HostConnection,
  underlayIp?: string,
): Record<string, ConfigEntry> {
  return {
    ...Object.fromEntries(
      Object.entries(hostConfig(connection)).map(([key, entry]) => [key.replace(/^ovslab:/, `${name}:`), entry]),
    ),
    ...(underlayIp !== undefined ? { [`${name}:underlayIp`]: { value: underlayIp } } : {}),
  };
}
