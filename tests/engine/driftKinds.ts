// The drift catalogue's entries, on the seed lab (examples/openstack-aio), in rounds of
// drifts that do not interfere: each round is one preview, one up, one clean preview.
import * as path from "node:path";
import type { LabHost } from "../../lab";
import { repoRoot } from "../../engine/tools";
import { Round } from "./driftCatalogue";

const ROUTER = "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7";
const QG = "qg-0c4c9d04-f0";
const inNs = (ns: string, ...argv: string[]) => ["ip", "netns", "exec", ns, ...argv];

/** The owner mark (external_ids:ovslab-owner) of an OVSDB row. */
async function ownerOf(lab: LabHost, table: string, record: string): Promise<string> {
  return JSON.parse((await lab.sh(["ovs-vsctl", "get", table, record, "external_ids:ovslab-owner"])).trim());
}

/** The cookie of the flow on `bridge` that `match` (a dump-flows filter) selects. */
async function cookieOf(lab: LabHost, bridge: string, match: string): Promise<string> {
  const dump = await lab.sh(["ovs-ofctl", "--no-stats", "dump-flows", bridge, match]);
  const cookie = /cookie=(0x[0-9a-f]+)/.exec(dump);
  if (!cookie) throw new Error(`no flow ${match} on ${bridge}:\n${dump}`);
  return cookie[1];
}

/** Deletes the one rule of `chain` in `ns`'s nat table whose text holds `part`. */
async function deleteNatRule(lab: LabHost, ns: string, chain: string, part: string): Promise<void> {
  const rules = (await lab.sh(inNs(ns, "iptables-save", "-t", "nat")))
    .split("\n")
    .filter((l) => l.startsWith(`-A ${chain} `) && l.includes(part));
  if (rules.length !== 1) throw new Error(`expected one rule of ${chain} with ${part}, found ${rules.length}`);
  await lab.sh(inNs(ns, "iptables", "-t", "nat", ...rules[0].replace(/^-A /, "-D ").split(" ")));
}

const vsctl = (lab: LabHost, ...argv: string[]) => lab.sh(["ovs-vsctl", ...argv]);

/** Fails unless `column` of Port `port` reads back as `expected` (ovs-vsctl's text). */
async function portColumnIs(lab: LabHost, port: string, column: string, expected: string): Promise<void> {
  const value = (await vsctl(lab, "get", "Port", port, column)).trim();
  if (value !== expected) throw new Error(`Port ${port} ${column} is ${value}, not ${expected} again`);
}

export const CATALOGUE: Round[] = [
  {
    title: "independent hand changes on every kind of resource",
    drifts: [
      {
        kind: "port tag",
        make: (lab) => vsctl(lab, "set", "Port", "foo", "tag=9"),
        names: { "vm-foo": [/~ tag\s*: 9 => 4/] },
      },
      {
        kind: "address removed",
        make: (lab) => lab.sh(["ip", "-n", "vm-jill", "address", "del", "10.0.0.5/24", "dev", "jill"]),
        names: { "vm-jill": [/addresses\s*: \[[\s\S]*\+ \[0\]: "10\.0\.0\.5\/24"/] },
      },
      {
        kind: "route deleted",
        make: (lab) => lab.sh(["ip", "-n", "vm-jack", "route", "del", "default"]),
        names: {
          "vm-jack": [/routes\s*: \[[\s\S]*\+ \[0\]: \{[\s\S]*destination\s*: "default"[\s\S]*via\s*: "172\.24\.4\.1"/],
        },
      },
      {
        kind: "link down",
        make: (lab) => lab.sh(["ip", "-n", "vm-upstream", "link", "set", "upstream", "down"]),
        names: { "vm-upstream": [/- up\s*: false/] },
      },
      {
        kind: "default route changed",
        make: (lab) => lab.sh(["ip", "-n", ROUTER, "route", "replace", "default", "via", "172.24.4.3"]),
        names: { router: [/~ via\s*: "172\.24\.4\.3" => "172\.24\.4\.1"/] },
      },
      {
        kind: "ip_forward off",
        make: (lab) => lab.sh(inNs(ROUTER, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")),
        names: { router: [/~ net\.ipv4\.ip_forward\s*: "0" => "1"/] },
      },
      {
        kind: "SNAT rule deleted",
        make: (lab) => deleteNatRule(lab, ROUTER, "ovslab-POSTROUTING", "-s 10.0.1.0/24"),
        names: { router: [/snat\s*: \[[\s\S]*sources\s*: \[[\s\S]*\+ \[1\]: "10\.0\.1\.0\/24"/] },
      },
      {
        kind: "floating-IP address removed",
        make: (lab) => lab.sh(["ip", "-n", ROUTER, "address", "del", "172.24.4.10/32", "dev", QG]),
        names: { router: [/floatingIps\s*: \[[\s\S]*\+ \[0\]: \{[\s\S]*floatingIp\s*: "172\.24\.4\.10"/] },
      },
      {
        kind: "bridge fail_mode",
        make: (lab) => vsctl(lab, "set-fail-mode", "br-int", "standalone"),
        names: { "br-int": [/~ failMode\s*: "standalone" => "secure"/] },
      },
      {
        kind: "our flow's actions",
        make: async (lab) => {
          const cookie = await cookieOf(lab, "br-ex", "in_port=phy-br-ex,dl_vlan=1");
          await lab.sh([
            "ovs-ofctl",
            "--strict",
            "mod-flows",
            "br-ex",
            `cookie=${cookie}/-1,priority=4,in_port=phy-br-ex,dl_vlan=1,actions=drop`,
          ]);
        },
        names: { "br-ex-flows": [/~ actions\s*: "drop" => "strip_vlan,NORMAL"/] },
      },
      {
        kind: "trunks",
        make: (lab) => vsctl(lab, "set", "Port", "int-br-ex", "trunks=1,2,3,4"),
        names: { "int-br-ex": [/trunks\s*: \[[\s\S]*1[\s\S]*4/] },
        check: async (lab) => {
          if ((await vsctl(lab, "get", "Port", "int-br-ex", "trunks")).trim() !== "[]")
            throw new Error("trunks still set");
        },
      },
      {
        kind: "port moved to another bridge",
        make: async (lab) => {
          const owner = await ownerOf(lab, "Port", "bar");
          await vsctl(
            lab,
            "del-port",
            "br-int",
            "bar",
            "--",
            "add-port",
            "br-ex",
            "bar",
            "--",
            "set",
            "Interface",
            "bar",
            "type=internal",
            "--",
            "set",
            "Port",
            "bar",
            "tag=3",
            `external_ids:ovslab-owner="${owner}"`,
          );
        },
        names: { "vm-bar": [/~ bridge\s*: "br-ex" => "br-int"/] },
      },
    ],
  },
  {
    title: "the host's OVS daemons restarted (flows and devices lost)",
    drifts: [
      {
        kind: "ovsdb-server restarted",
        make: (lab) => restartDaemon(lab, "ovsdb-server", OVSDB_SERVER),
        names: {}, // nothing of ours is lost: the database is on disk
      },
      {
        kind: "ovs-vswitchd restarted",
        make: (lab) => restartDaemon(lab, "ovs-vswitchd", ["ovs-vswitchd", "--pidfile", "--detach", "--log-file"]),
        names: {
          // The devices left in the namespaces are dead copies: their addresses count as gone.
          "vm-jack": [/addresses\s*: \[[\s\S]*\+ \[0\]: "172\.24\.4\.20\/24"/],
          router: [/addresses\s*: \[[\s\S]*\+ \[0\]: "172\.24\.4\.2\/24"/],
          // OVS keeps no flow across a restart.
          "br-ex-flows": [/flows\s*: \[[\s\S]*\+ \[0\]: \{[\s\S]*actions\s*: "NORMAL"/],
        },
        check: async (lab) => {
          const link = await lab.sh(["ip", "-n", "vm-jack", "link", "show", "jack"]);
          if (/NO-CARRIER/.test(link)) throw new Error(`jack is still a dead copy: ${link}`);
        },
      },
    ],
  },
  {
    title: "a bridge deleted, another's protocols changed, a namespace deleted",
    drifts: [
      {
        kind: "bridge deleted",
        make: (lab) => vsctl(lab, "del-br", "br-ex"),
        names: { "br-ex": [/\+ pulumi-nodejs:dynamic\/ovslab:Bridge: \(create\)/, /failMode\s*: "standalone"/] },
      },
      {
        kind: "bridge protocols",
        make: (lab) => vsctl(lab, "set", "Bridge", "br-int", "protocols=OpenFlow10"),
        names: { "br-int": [/~ protocols\s*: \[\s*- \[0\]: "OpenFlow10"\s*\]/] },
      },
      {
        kind: "namespace deleted",
        make: (lab) => lab.sh(["ip", "netns", "delete", "vm-jill"]),
        names: { "vm-jill": [/\+ pulumi-nodejs:dynamic\/ovslab:RouterNamespace: \(create\)/, /name\s*: "vm-jill"/] },
      },
    ],
  },
  {
    title: "flows, patch ports and NAT jumps",
    drifts: [
      {
        kind: "an extra flow with our cookie",
        make: async (lab) => {
          const cookie = await cookieOf(lab, "br-ex", "in_port=phy-br-ex,dl_vlan=1");
          await lab.sh(["ovs-ofctl", "add-flow", "br-ex", `cookie=${cookie},priority=7,udp,tp_dst=9,actions=drop`]);
        },
        names: {
          "br-ex-flows": [
            /\+ \[3\]: \{[\s\S]*\+ actions\s*: "drop"[\s\S]*\+ match\s*: "udp,tp_dst=9"[\s\S]*\+ priority\s*: 7/,
          ],
        },
      },
      {
        kind: "our flow's priority",
        make: async (lab) => {
          const cookie = await cookieOf(lab, "br-int", "in_port=int-br-ex");
          await lab.sh(["ovs-ofctl", "del-flows", "--strict", "br-int", "priority=1"]);
          await lab.sh(["ovs-ofctl", "add-flow", "br-int", `cookie=${cookie},priority=6,actions=NORMAL`]);
        },
        names: { "br-int-flows": [/priority\s*: 6/] },
      },
      {
        kind: "patch peer",
        make: (lab) => vsctl(lab, "set", "Interface", "int-br-ex", "options:peer=nowhere"),
        names: { "int-br-ex": [/~ peer\s*: "nowhere" => "phy-br-ex"/] },
      },
      {
        kind: "interface type",
        make: (lab) => vsctl(lab, "set", "Interface", "phy-br-ex", "type=internal"),
        // A patch end that is no patch port any more has no peer.
        names: { "int-br-ex": [/~ peer\s*: "<none>" => "int-br-ex"/] },
      },
      {
        kind: "jump deleted",
        make: (lab) => lab.sh(inNs(ROUTER, "iptables", "-t", "nat", "-D", "PREROUTING", "-j", "ovslab-PREROUTING")),
        // Without the jump the DNAT rules act no more: the floating IP is gone.
        names: { router: [/floatingIps\s*: \[[\s\S]*\+ \[0\]: \{[\s\S]*floatingIp\s*: "172\.24\.4\.10"/] },
      },
      {
        kind: "jump doubled",
        make: (lab) => lab.sh(inNs(ROUTER, "iptables", "-t", "nat", "-I", "POSTROUTING", "-j", "ovslab-POSTROUTING")),
        // The chain acts twice: its SNAT rules show a second time, as rules nobody declared.
        names: { router: [/snat\s*: \[[\s\S]*- \[1\]: \{[\s\S]*interface\s*: "qg-0c4c9d04-f0"/] },
      },
    ],
  },
  {
    title: "addresses, routes, sysctls and NAT rules added or changed by hand",
    drifts: [
      {
        kind: "one of our flows deleted",
        make: (lab) => lab.sh(["ovs-ofctl", "del-flows", "--strict", "br-ex", "priority=2,in_port=phy-br-ex"]),
        names: { "br-ex-flows": [/flows\s*: \[[\s\S]*\+ \[2\]: \{[\s\S]*\+ match\s*: "in_port=phy-br-ex"/] },
      },
      {
        kind: "DNAT changed",
        make: async (lab) => {
          for (const chain of ["ovslab-PREROUTING", "ovslab-OUTPUT"]) {
            await lab.sh(
              inNs(
                ROUTER,
                "iptables",
                "-t",
                "nat",
                "-R",
                chain,
                "1",
                "-d",
                "172.24.4.10/32",
                "-j",
                "DNAT",
                "--to-destination",
                "10.0.0.9",
              ),
            );
          }
        },
        names: { router: [/~ fixedIp\s*: "10\.0\.0\.9" => "10\.0\.0\.5"/] },
      },
      {
        kind: "address added by hand",
        make: (lab) => lab.sh(["ip", "-n", "vm-foo", "address", "add", "10.0.0.77/24", "dev", "foo"]),
        names: { "vm-foo": [/addresses\s*: \[[\s\S]*- \[1\]: "10\.0\.0\.77\/24"/] },
      },
      {
        kind: "route added by hand",
        make: (lab) => lab.sh(["ip", "-n", "vm-bar", "route", "add", "192.0.2.0/24", "via", "10.0.1.1"]),
        names: { "vm-bar": [/routes\s*: \[[\s\S]*- \[1\]: \{[\s\S]*destination\s*: "192\.0\.2\.0\/24"/] },
      },
      {
        kind: "sysctl changed",
        make: (lab) => lab.sh(inNs(ROUTER, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=0")),
        names: { router: [/~ net\.ipv4\.conf\.all\.arp_ignore\s*: "0" => "1"/] },
      },
      {
        kind: "interface MTU where declared",
        make: (lab) => lab.sh(["ip", "-n", ROUTER, "link", "set", "qr-da3efe6d-a2", "mtu", "1500"]),
        names: { router: [/~ mtu\s*: 1500 => 1450/] },
        check: async (lab) => {
          const link = await lab.sh(["ip", "-n", ROUTER, "link", "show", "qr-da3efe6d-a2"]);
          if (!/ mtu 1450 /.test(link)) throw new Error(`qr-da3efe6d-a2's MTU is not 1450 again: ${link}`);
        },
      },
      {
        kind: "tag removed",
        make: (lab) => vsctl(lab, "clear", "Port", "jack", "tag"),
        names: { "vm-jack": [/\+ tag\s*: 1/] },
      },
    ],
  },
  {
    title: "VLAN modes the seed does not declare (tests/fixtures/vlanDrift)",
    project: path.join(repoRoot(), "tests", "fixtures", "vlanDrift"),
    drifts: [
      {
        kind: "vlan_mode",
        make: (lab) => vsctl(lab, "set", "Port", "vl-access", "vlan_mode=native-untagged"),
        names: { "br-vl": [/~ vlanMode\s*: "native-untagged" => "access"/] },
        check: (lab) => portColumnIs(lab, "vl-access", "vlan_mode", "access"),
      },
      {
        kind: "patch end vlan_mode",
        make: (lab) => vsctl(lab, "set", "Port", "vl-patch-b", "vlan_mode=access"),
        names: { "vl-patch": [/- vlanMode\s*: "access"/] },
        check: (lab) => portColumnIs(lab, "vl-patch-b", "vlan_mode", "[]"),
      },
      {
        kind: "patch end tag",
        make: (lab) => vsctl(lab, "set", "Port", "vl-patch-a", "tag=30"),
        names: { "vl-patch": [/- tag\s*: 30/] },
        check: (lab) => portColumnIs(lab, "vl-patch-a", "tag", "[]"),
      },
      {
        kind: "patch end trunks",
        make: (lab) => vsctl(lab, "set", "Port", "vl-patch-a", "trunks=10"),
        names: { "vl-patch": [/trunks\s*: \[[\s\S]*\+ \[1\]: 20/] },
        check: (lab) => portColumnIs(lab, "vl-patch-a", "trunks", "[10, 20]"),
      },
    ],
  },
  {
    title: "the owner mark removed by hand: a clear refusal, then the mark restored by hand",
    drifts: [
      {
        kind: "owner mark removed",
        make: async (lab) => {
          removedMark = await ownerOf(lab, "Bridge", "br-ex");
          await vsctl(lab, "remove", "Bridge", "br-ex", "external_ids", "ovslab-owner");
        },
        // Refresh finds no bridge of ours: the preview says it will create one.
        names: { "br-ex": [/\+ pulumi-nodejs:dynamic\/ovslab:Bridge: \(create\)/] },
      },
      {
        kind: "floating-IP SNAT rule deleted",
        make: (lab) => deleteNatRule(lab, ROUTER, "ovslab-POSTROUTING", "-s 10.0.0.5/32"),
        // Without its way back (SNAT to the floating IP) the floating IP is incomplete: gone.
        names: { router: [/floatingIps\s*: \[[\s\S]*~ \[0\]: \{[\s\S]*\+ interface\s*: "qg-0c4c9d04-f0"/] },
      },
    ],
    refused:
      /bridge br-ex already exists on the host and is not owned by openstack-aio\/drift\/Bridge\/br-ex \(external_ids:ovslab-owner=<unset>\)/,
    afterRefusal: (lab) => vsctl(lab, "set", "Bridge", "br-ex", `external_ids:ovslab-owner="${removedMark}"`),
  },
];

let removedMark = "";

const OVSDB_SERVER = [
  "ovsdb-server", "/etc/openvswitch/conf.db", "--remote=punix:/run/openvswitch/db.sock",
  "--remote=db:Open_vSwitch,Open_vSwitch,manager_options", "--pidfile", "--detach", "--log-file",
];

/** Stops a daemon of the lab host's OVS and starts it again, as a package upgrade would. */
async function restartDaemon(lab: LabHost, name: string, start: string[]): Promise<void> {
  await lab.sh(["ovs-appctl", "-t", name, "exit"]);
  for (let i = 0; i < 100 && (await lab.exec(["ovs-appctl", "-t", name, "version"])).code === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  await lab.sh(start);
  // ovs-vsctl waits until ovs-vswitchd has applied a change: then both daemons are back.
  await lab.sh(["ovs-vsctl", "--timeout=30", "set", "Open_vSwitch", ".", "external_ids:drift-test=restarted"]);
}
