// The labs `npm run bench:scale` builds, as plain data, and the same labs written the two
// other ways it compares with: B, one hand-written bash script over one SSH session (one
// OVSDB transaction, one bundle per bridge, one `ip -batch` and one `iptables-restore` per
// router), and A, one SSH exec per elementary command.
import type { FlowArgs } from "../../core/schema/flow";
import type { PortArgs } from "../../core/schema/bridge";
import type { RouterNamespaceArgs } from "../../core/schema/router/args";

export interface LabShape {
  label: string;
  /** Access ports of br-int, over 20 VLANs. */
  ports: PortArgs[];
  /** One FlowTable each on br-int. */
  tables: FlowArgs[][];
  routers: RouterNamespaceArgs[];
  /** Each FlowTable's rules as a file (FlowTable `flowsFile`), not as resource inputs. */
  flowsFiles?: boolean;
}

const VLANS = 20;
const tagOf = (i: number) => (i % VLANS) + 1;
const byte = (n: number) => (n & 0xff).toString(16).padStart(2, "0");

/** `ports` ports, `flows` flows in 4 tables (two share table 0), `routers` routers with qr/qg, SNAT and a floating IP. */
export function neutronLab(ports: number, flows: number, routers: number): LabShape {
  const tables: FlowArgs[][] = [[], [], [], []];
  for (let i = 0; i < flows; i++) {
    const t = i % 4;
    tables[t].push({
      table: t < 2 ? 0 : t, priority: 100 + t,
      match: `dl_vlan=${tagOf(i)},dl_dst=02:00:${byte(t)}:${byte(i >> 16)}:${byte(i >> 8)}:${byte(i)}`,
      actions: i % 3 === 0 ? "drop" : "strip_vlan,NORMAL",
    });
  }
  return {
    label: `${ports} ports / ${flows} flows / ${routers} routers`,
    ports: Array.from({ length: ports }, (_, i) => ({ name: `p${i}`, type: "internal", tag: tagOf(i) })),
    tables,
    routers: Array.from({ length: routers }, (_, i) => ({
      name: `qrouter-${i}`,
      interfaces: [
        { name: `qr-${i}`, bridge: "br-int", tag: tagOf(i), addresses: [`10.${i}.0.1/24`] },
        { name: `qg-${i}`, bridge: "br-ex", addresses: [`172.24.0.${i + 2}/16`] },
      ],
      routes: [{ destination: "default", via: "172.24.0.1" }],
      snat: [{ interface: `qg-${i}`, sources: [`10.${i}.0.0/24`] }],
      floatingIps: [{ floatingIp: `172.24.1.${i + 2}`, fixedIp: `10.${i}.0.5` }],
    })),
  };
}

/** `count` VM namespaces, each one RouterNamespace with one port on br-int (the seed example's pattern). */
export function vmLab(count: number): LabShape {
  return {
    label: `${count} VM namespaces`,
    ports: [],
    tables: [],
    routers: Array.from({ length: count }, (_, i) => ({
      name: `vm-${i}`,
      interfaces: [
        {
          name: `tap${i}`,
          bridge: "br-int",
          tag: tagOf(i),
          addresses: [`10.${tagOf(i)}.${i >> 8}.${(i & 0xff) + 2}/16`],
        },
      ],
      routes: [{ destination: "default", via: `10.${tagOf(i)}.0.1` }],
    })),
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function routerPorts(lab: LabShape): string[] {
  return lab.routers.flatMap((r) =>
    (r.interfaces ?? []).map(
      (i) =>
        `add-port ${i.bridge} ${i.name} -- set Interface ${i.name} type=internal${i.tag ? ` -- set Port ${i.name} tag=${i.tag}` : ""}`,
    ),
  );
}

function natRules(r: RouterNamespaceArgs): string[] {
  return [
    ...(r.snat ?? []).flatMap((s) =>
      s.sources.map((src) => `-A POSTROUTING -s ${src} -o ${s.interface} -j MASQUERADE`),
    ),
    ...(r.floatingIps ?? []).flatMap((f) => [
      `-A PREROUTING -d ${f.floatingIp}/32 -j DNAT --to-destination ${f.fixedIp}`,
      `-A POSTROUTING -s ${f.fixedIp}/32 -j SNAT --to-source ${f.floatingIp}`,
    ]),
  ];
}

function routerLines(r: RouterNamespaceArgs): string[] {
  const lines = (r.interfaces ?? []).flatMap((i) => [
    ...(i.addresses ?? []).map((a) => `addr add ${a} dev ${i.name}`), `link set ${i.name} up`,
  ]);
  const qg = r.interfaces?.find((i) => i.name.startsWith("qg-"));
  for (const f of r.floatingIps ?? []) if (qg) lines.push(`addr add ${f.floatingIp}/32 dev ${qg.name}`);
  lines.push("link set lo up", ...(r.routes ?? []).map((rt) => `route replace ${rt.destination} via ${rt.via}`));
  return lines;
}

/** B: the whole lab in one bash script (run as `bash -s` over one SSH session). */
export function handScript(lab: LabShape): string {
  const out = ["set -e"];
  const vsctl = [
    "--may-exist add-br br-int -- set Bridge br-int fail_mode=secure datapath_type=netdev protocols=OpenFlow10,OpenFlow13,OpenFlow14",
    "--may-exist add-br br-ex -- set Bridge br-ex datapath_type=netdev",
    ...lab.ports.map(
      (p) => `add-port br-int ${p.name} -- set Interface ${p.name} type=internal -- set Port ${p.name} tag=${p.tag}`,
    ),
    ...routerPorts(lab),
  ];
  out.push(`ovs-vsctl ${vsctl.join(" -- ")}`);
  const flows = lab.tables.flat();
  if (flows.length) {
    out.push("ovs-ofctl -O OpenFlow14 --bundle add-flows br-int - <<'EOF'",
      ...flows.map((f) => `table=${f.table},priority=${f.priority},${f.match},actions=${f.actions}`), "EOF");
  }
  for (const r of lab.routers) {
    out.push(
      `ip netns add ${r.name}`,
      "ip -batch - <<'EOF'",
      ...(r.interfaces ?? []).map((i) => `link set ${i.name} netns ${r.name}`),
      "EOF",
    );
    out.push(`ip -n ${r.name} -batch - <<'EOF'`, ...routerLines(r), "EOF");
    out.push(`ip netns exec ${r.name} sysctl -qw net.ipv4.ip_forward=1`);
    const nat = natRules(r);
    if (nat.length)
      out.push(`ip netns exec ${r.name} iptables-restore --noflush <<'EOF'`, "*nat", ...nat, "COMMIT", "EOF");
  }
  return out.join("\n") + "\n";
}

/** A: the same lab as elementary commands, one SSH exec each, grouped by what they build. */
export function elementaryCommands(lab: LabShape): Record<string, string[]> {
  const setup = [
    "ovs-vsctl --may-exist add-br br-int -- set Bridge br-int fail_mode=secure datapath_type=netdev protocols=OpenFlow10,OpenFlow13,OpenFlow14",
    "ovs-vsctl --may-exist add-br br-ex -- set Bridge br-ex datapath_type=netdev",
  ];
  const ports = lab.ports.map(
    (p) =>
      `ovs-vsctl add-port br-int ${p.name} -- set Interface ${p.name} type=internal -- set Port ${p.name} tag=${p.tag}`,
  );
  const flows = lab.tables
    .flat()
    .map(
      (f) =>
        `ovs-ofctl -O OpenFlow14 add-flow br-int ${quote(`table=${f.table},priority=${f.priority},${f.match},actions=${f.actions}`)}`,
    );
  const routers = lab.routers.flatMap((r) => [
    ...routerPorts({ ...lab, routers: [r] }).map((c) => `ovs-vsctl ${c}`),
    `ip netns add ${r.name}`,
    ...(r.interfaces ?? []).map((i) => `ip link set ${i.name} netns ${r.name}`),
    ...routerLines(r).map((l) => `ip -n ${r.name} ${l}`),
    `ip netns exec ${r.name} sysctl -qw net.ipv4.ip_forward=1`,
    ...natRules(r).map((rule) => `ip netns exec ${r.name} iptables -t nat ${rule}`),
  ]);
  return { setup, ports, flows, routers };
}
