// Several lab hosts joined by a private underlay (underlay.ts), each with its own private
// OVS and sshd (host.ts). Each host's underlay NIC is set up as the host's provisioning
// would (not by a deployment, and not logged): for the userspace datapath the lab hosts
// use, OVS must own the underlay address to tunnel, so eth1 becomes a port of an OVS
// bridge `br-phy` and the address sits on br-phy's internal port (docs/MULTIHOST.md).
import { LabHost, startLabHost } from "./host";
import { startUnderlay, Underlay, underlayAddress, UNDERLAY_NIC } from "./underlay";

/** The OVS bridge that holds a lab host's underlay address (userspace tunnelling). */
export const PHYSICAL_BRIDGE = "br-phy";

export interface LabHostsOptions {
  /** Host names, also their hostnames: lowercase letters, digits, dashes. */
  names: string[];
  /** How long each host may take to start (default 30 s). */
  startTimeoutMs?: number;
}

export interface MultiHostLab {
  /** The hosts by name, in the order given. */
  readonly hosts: Record<string, LabHost>;
  readonly underlay: Underlay;
  /** The underlay address of a host, e.g. `10.250.0.11` (prefix /24). */
  address(name: string): string;
  /** Stops every host and the underlay; throws if anything survived. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the underlay, then the hosts (in parallel), and plugs each host in. */
export async function startLabHosts(options: LabHostsOptions): Promise<MultiHostLab> {
  const names = options.names;
  if (names.length === 0 || new Set(names).size !== names.length) {
    throw new Error(`lab hosts: names must be a non-empty list without duplicates (got ${JSON.stringify(names)})`);
  }
  if (names.length > 200) throw new Error("lab hosts: at most 200 hosts fit the underlay's /24");
  const underlay = await startUnderlay();
  const hosts: Record<string, LabHost> = {};
  const addresses: Record<string, string> = {};
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const results = await Promise.allSettled([...Object.values(hosts).map((h) => h.stop()), underlay.stop()]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed.length > 0) throw new Error(failed.map((f) => String(f.reason?.message ?? f.reason)).join("; "));
    })());
  try {
    const started = await Promise.allSettled(
      names.map((name) => startLabHost({ name, startTimeoutMs: options.startTimeoutMs })),
    );
    started.forEach((r, i) => r.status === "fulfilled" && (hosts[names[i]] = r.value));
    const failure = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    for (const [i, name] of names.entries()) {
      addresses[name] = underlayAddress(i + 1);
      await underlay.attach(hosts[name], i + 1);
      await plugUserspace(hosts[name], addresses[name]);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    hosts,
    underlay,
    address: (name) => {
      if (!(name in addresses)) throw new Error(`lab hosts: no host "${name}"`);
      return addresses[name];
    },
    stop,
  };
}

/**
 * The userspace datapath's tunnel setup: eth1 as a port of br-phy (netdev), the address on
 * br-phy's internal port, so that OVS's own route table (`ovs-appctl ovs/route/show`, which
 * learns the connected route from the host) and its ARP cache (`tnl/arp/show`, learned from
 * replies crossing br-phy) can resolve a tunnel's remote_ip.
 */
async function plugUserspace(host: LabHost, address: string): Promise<void> {
  await host.sh([
    "ovs-vsctl",
    "--timeout=20",
    "add-br",
    PHYSICAL_BRIDGE,
    "--",
    "set",
    "Bridge",
    PHYSICAL_BRIDGE,
    "datapath_type=netdev",
    "--",
    "add-port",
    PHYSICAL_BRIDGE,
    UNDERLAY_NIC,
  ]);
  await host.sh(["ip", "link", "set", UNDERLAY_NIC, "up"]);
  await host.sh(["ip", "addr", "add", `${address}/24`, "dev", PHYSICAL_BRIDGE]);
  await host.sh(["ip", "link", "set", PHYSICAL_BRIDGE, "up"]);
}
