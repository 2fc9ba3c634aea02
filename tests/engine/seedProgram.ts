// The seed lab as an inline program, with the connection read from stack config the way
// examples/openstack-aio reads it; tests vary the tags and add bridges.
import { Bridge, hostConnection } from "../../sdk";

export const SEED_TAGS: Readonly<Record<string, number>> = { jack: 1, jill: 2, bar: 3, foo: 4 };

/** br-int (secure, tagged internal ports), br-ex, and `extra` plain bridges, all netdev. */
export function seedLab(tags: Record<string, number> = { ...SEED_TAGS }, extra: string[] = []) {
  return async () => {
    const connection = hostConnection();
    const ports = Object.entries(tags).map(([name, tag]) => ({ name, tag, type: "internal" as const }));
    new Bridge("br-int", { connection, failMode: "secure", datapathType: "netdev", ports });
    new Bridge("br-ex", { connection, datapathType: "netdev" });
    for (const name of extra) new Bridge(name, { connection, datapathType: "netdev" });
  };
}
