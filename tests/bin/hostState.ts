// A lab host as a person inspects it with the tools themselves (not our parsers): OVSDB
// rows, flows, and each namespace's links, addresses, routes, NAT rules and sysctls.
// Two snapshots are equal exactly when nothing we manage changed in between.
import type { LabHost } from "../../lab";

const ROUTER_SYSCTLS = [
  "net.ipv4.ip_forward", "net.ipv4.conf.all.promote_secondaries", "net.ipv4.conf.all.arp_ignore",
  "net.ipv4.conf.all.arp_announce", "net.ipv4.conf.all.arp_notify",
];

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");
/** OVSDB `list` output: one record per blank-line-separated block, in a stable order. */
const records = (text: string) => text.split("\n\n").map((b) => b.trim()).filter(Boolean).sort().join("\n\n");

export async function hostState(lab: LabHost): Promise<string> {
  const out: string[] = [];
  const section = (title: string, text: string) => out.push(`## ${title}\n${text.trim()}`);
  section("ovs-vsctl show", await lab.sh(["ovs-vsctl", "show"]));
  for (const [table, columns] of [
    ["Bridge", "name,fail_mode,datapath_type,protocols,external_ids,other_config"],
    ["Port", "name,tag,trunks,vlan_mode,external_ids"],
    ["Interface", "name,type,options,external_ids,ofport"],
  ]) section(`${table} rows`, records(await lab.sh(["ovs-vsctl", `--columns=${columns}`, "list", table])));
  for (const bridge of lines(await lab.sh(["ovs-vsctl", "list-br"]))) {
    section(
      `flows of ${bridge}`,
      lines(await lab.sh(["ovs-ofctl", "-O", "OpenFlow14", "--no-stats", "--names", "dump-flows", bridge]))
        .sort()
        .join("\n"),
    );
  }
  for (const ns of lines(await lab.sh(["ip", "netns", "list"])).map((l) => l.split(" ")[0]).sort()) {
    section(`links in ${ns}`, await lab.sh(["ip", "-n", ns, "-o", "link", "show"]));
    // The kernel's own IPv6 state (link-local addresses, and its `proto kernel` routes such
    // as ff00::/8) appears as duplicate address detection ends, a second or so after a
    // device comes up: its timing, not a change of ours. Our addresses and routes stay.
    const addresses = lines(await lab.sh(["ip", "-n", ns, "-o", "address", "show"])).filter(
      (l) => !/ inet6 fe80::/.test(l),
    );
    section(`addresses in ${ns}`, addresses.join("\n"));
    const routes = [
      ...lines(await lab.sh(["ip", "-n", ns, "route", "show", "table", "all"])),
      ...lines(await lab.sh(["ip", "-n", ns, "-6", "route", "show", "table", "all"])),
    ];
    section(`routes in ${ns}`, routes.filter((l) => !/ proto kernel /.test(l)).join("\n"));
    const nat = await lab.sh(["ip", "netns", "exec", ns, "iptables-save", "-t", "nat"]);
    section(
      `nat in ${ns}`,
      lines(nat)
        .filter((l) => !l.startsWith("#"))
        .map((l) => l.replace(/\[\d+:\d+\]/, ""))
        .join("\n"),
    );
    section(`sysctls in ${ns}`, await lab.sh(["ip", "netns", "exec", ns, "sysctl", ...ROUTER_SYSCTLS]));
  }
  return out.join("\n\n") + "\n";
}
