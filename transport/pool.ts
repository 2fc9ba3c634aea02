// One SSH transport per host and credentials per process, so every resource of a
// deployment on one host shares one connection.
import { ConnectionArgs, connectionKey } from "./connection";
import { SshTransport } from "./ssh";

const transports = new Map<string, SshTransport>();

/** The process's transport for `connection`, created on first use. */
export function transportFor(connection: ConnectionArgs): SshTransport {
  const key = connectionKey(connection);
  let transport = transports.get(key);
  if (!transport) {
    transport = new SshTransport(connection);
    transports.set(key, transport);
  }
  return transport;
}

/** Closes every pooled transport; the next `transportFor` opens afresh. */
export async function closeAll(): Promise<void> {
  const all = [...transports.values()];
  transports.clear();
  await Promise.all(all.map((t) => t.close()));
}
