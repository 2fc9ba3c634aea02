// A declared lab as a diagram, independent of how it is drawn: a box per bridge (one row
// per port, then its flows in the order OVS tries them) and per router namespace (one row
// per interface with its addresses, then routes and NAT), and the links between rows:
// patch pairs join two bridges, a router interface hangs off its bridge port. A lab on
// several hosts has its boxes grouped by host, and its tunnel ports joined host to host.
import { FlowSpec } from "../schema/flow";
import { bridgeNames, DeclaredLab, flowGroupsOn, hostsOf, onHost, portsOn, PortView } from "./declared";

export interface Row {
  /** Unique within its box. */
  key: string;
  /** The name, e.g. `qr-a` or `int-br-ex`. */
  label: string;
  /** What to know about it, e.g. `internal · tag 101`. */
  detail: string;
  /** The access VLAN it carries (its tag), drawn in that VLAN's colour. */
  vlan?: number;
}

export interface Box {
  /** Unique within the diagram. */
  key: string;
  kind: "bridge" | "router";
  /** The host it is on (`user@host:port`), when the lab spans hosts. */
  host?: string;
  title: string;
  /** E.g. `secure · netdev`; `not declared` for a bridge only referenced. */
  subtitle: string;
  rows: Row[];
  /** A titled list under the rows: `flows`, `routes`, `NAT`. */
  sections: Array<{ title: string; lines: string[] }>;
}

export interface Link {
  from: { box: string; row: string };
  to: { box: string; row: string };
  kind: "patch" | "router" | "tunnel";
  /**
   * E.g. `patch · all VLANs (trunk)`, `patch · trunks 10,20,30`,
   * `vxlan key=flow · VNI 100,200 · 10.250.0.11 ⇄ 10.250.0.12`.
   */
  label: string;
}

export interface Diagram {
  boxes: Box[];
  links: Link[];
  /** Every access VLAN (tag) in the lab, ascending: the legend's entries, one colour each. */
  vlans: number[];
  /** The hosts, in declaration order, when the lab spans more than one: a cluster each. */
  hosts: string[];
  /** The VNIs each VLAN is mapped to on some host's tunnel bridge (`tun_id=100` → `mod_vlan_vid:1`). */
  vnis: Record<number, number[]>;
}

export interface DiagramOptions {
  /** Flows listed per bridge before `+N more`. Default 8. */
  maxFlows?: number;
}

const vlanText = (p: { tag?: number; trunks?: number[]; vlanMode?: string }) =>
  [p.tag !== undefined ? `tag ${p.tag}` : "", p.trunks?.length ? `trunks ${p.trunks.join(",")}` : "", p.vlanMode ?? ""]
    .filter(Boolean)
    .join(" · ");

// The link drawn to the router box says which namespace; the row says what the port is.
function portDetail(port: PortView): string {
  const role =
    port.role.kind === "patch"
      ? `patch ⇄ ${port.role.peerPort}`
      : port.role.kind === "router"
        ? "router port"
        : port.role.kind === "tunnel"
          ? `${port.type} → ${port.role.remoteIp} (key ${port.role.key})`
          : port.type;
  return [role, vlanText(port)].filter(Boolean).join(" · ");
}

/** `t0 p4 in_port=phy-br-ex,dl_vlan=1 → strip_vlan,NORMAL`: one flow on one line. */
export function flowLine(flow: FlowSpec): string {
  const timeouts = [
    flow.idleTimeout ? `idle ${flow.idleTimeout}s` : "",
    flow.hardTimeout ? `hard ${flow.hardTimeout}s` : "",
  ].filter(Boolean);
  return `t${flow.table} p${flow.priority} ${flow.match || "*"} → ${flow.actions}${timeouts.length ? ` (${timeouts.join(", ")})` : ""}`;
}

const FLOW_KEY = "(t table, p priority: match → actions)";

/** One section per resource declaring flows on the bridge, titled by it when the lab names resources. */
function flowSections(groups: Array<{ source?: string; flows: FlowSpec[] }>, max: number): Box["sections"] {
  const count = (n: number) => `${n} flow${n === 1 ? "" : "s"}`;
  const named = groups.every((g) => g.source);
  const parts = named ? groups : groups.length ? [{ flows: groups.flatMap((g) => g.flows) }] : [];
  return parts.map((g) => {
    // The order OVS tries them: by table, then highest priority first.
    const sorted = [...g.flows].sort((a, b) => a.table - b.table || b.priority - a.priority);
    const lines = sorted.slice(0, max).map(flowLine);
    if (sorted.length > max) lines.push(`+${sorted.length - max} more`);
    const source = "source" in g && g.source ? `${g.source}: ` : "";
    return { title: `${source}${count(g.flows.length)} ${FLOW_KEY}`, lines };
  });
}

function bridgeBox(lab: DeclaredLab, name: string, maxFlows: number, host?: string): Box {
  const spec = lab.bridge.find((b) => b.name === name);
  const subtitle = spec
    ? [spec.failMode, spec.datapathType, spec.protocols.join(",")].filter(Boolean).join(" · ")
    : "not declared by this lab";
  const rows = portsOn(lab, name).map((p) => ({
    key: p.name,
    label: p.name,
    detail: portDetail(p),
    ...(p.tag !== undefined ? { vlan: p.tag } : {}),
  }));
  return {
    key: boxKey("bridge", name, host),
    kind: "bridge",
    ...(host ? { host } : {}),
    title: name,
    subtitle,
    rows,
    sections: flowSections(flowGroupsOn(lab, name), maxFlows),
  };
}

function routerBox(router: DeclaredLab["routerNamespace"][number], host?: string): Box {
  // Floating IPs sit on their interface too (/32), but show once, under NAT.
  // A trunk interface lists its VLAN sub-interfaces right under it, indented.
  const rows = router.interfaces.flatMap((i) => [
    {
      key: i.name,
      label: i.name,
      detail: i.addresses.join(", ") || (i.vlans?.length ? "VLAN devices:" : "no address"),
      ...(i.tag !== undefined ? { vlan: i.tag } : {}),
    },
    ...(i.vlans ?? []).map((v) => ({
      key: `${i.name}.${v.id}`,
      label: ` └ ${i.name}.${v.id}`,
      detail: v.addresses.join(", ") || "no address",
    })),
  ]);
  const routes = router.routes.map(
    (r) => `${r.destination}${r.via ? ` via ${r.via}` : ""}${r.device ? ` dev ${r.device}` : ""}`,
  );
  const nat = [
    ...router.snat.flatMap((s) => s.sources.map((src) => `SNAT ${src} → ${s.toSource} (${s.interface})`)),
    ...router.floatingIps.map((f) => `FIP ${f.floatingIp} ⇄ ${f.fixedIp}`),
  ];
  const sections = [
    ...(routes.length ? [{ title: "routes", lines: routes }] : []),
    ...(nat.length ? [{ title: "NAT", lines: nat }] : []),
  ];
  // The upstream gateway: the default route's next hop, where traffic leaves the lab.
  const upstream = router.routes.find((r) => r.destination === "default" || r.destination === "0.0.0.0/0");
  const subtitle = upstream?.via ? `namespace · upstream gateway ${upstream.via}` : "namespace";
  const key = boxKey("router", router.name, host);
  return { key, kind: "router", ...(host ? { host } : {}), title: router.name, subtitle, rows, sections };
}

/** `bridge:br-int`, or `bridge:br-int@root@network:22` when the lab spans hosts (a name may repeat per host). */
const boxKey = (kind: Box["kind"], name: string, host?: string) => `${kind}:${name}${host ? `@${host}` : ""}`;

/** The boxes and links of one host's part of the lab (`host` undefined: the lab is on one host). */
function hostPart(lab: DeclaredLab, maxFlows: number, host?: string): { boxes: Box[]; links: Link[] } {
  const boxes = [
    ...bridgeNames(lab).map((name) => bridgeBox(lab, name, maxFlows, host)),
    ...lab.routerNamespace.map((r) => routerBox(r, host)),
  ];
  const links: Link[] = [];
  for (const pair of lab.patchPair) {
    // Each end's VLANs show on its row; the link repeats them only when both ends agree.
    // A patch port with neither tag nor trunks passes every VLAN, tags kept: say so.
    const same = vlanText(pair.a) === vlanText(pair.b);
    const open = (p: { tag?: number; trunks?: number[] }) => p.tag === undefined && !p.trunks?.length;
    const vlans = same ? (open(pair.a) ? "all VLANs (trunk)" : vlanText(pair.a)) : "";
    const label = ["patch", vlans].filter(Boolean).join(" · ");
    links.push({
      from: { box: boxKey("bridge", pair.a.bridge, host), row: pair.a.port },
      to: { box: boxKey("bridge", pair.b.bridge, host), row: pair.b.port },
      kind: "patch",
      label,
    });
  }
  for (const router of lab.routerNamespace) {
    for (const i of router.interfaces) {
      links.push({
        from: { box: boxKey("bridge", i.bridge, host), row: i.name },
        to: { box: boxKey("router", router.name, host), row: i.name },
        kind: "router",
        label: "",
      });
    }
  }
  return { boxes, links };
}

const numbers = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => Number(m[1]));

/** VNIs a bridge's flows set or match (`set_tunnel:100`, `tun_id=100`), ascending. */
function vnisOn(lab: DeclaredLab, bridge: string): number[] {
  const found = flowGroupsOn(lab, bridge).flatMap((g) =>
    g.flows.flatMap((f) => [...numbers(f.match, /tun_id=(\d+)/g), ...numbers(f.actions, /set_tunnel:(\d+)/g)]),
  );
  return [...new Set(found)].sort((a, b) => a - b);
}

/** Which VNI each VLAN becomes on a tunnel bridge: flows matching `tun_id=N` that push `mod_vlan_vid:V`. */
function vlanVnis(lab: DeclaredLab): Record<number, number[]> {
  const out: Record<number, Set<number>> = {};
  for (const table of lab.flowTable)
    for (const f of table.flows) {
      const [vni] = numbers(f.match, /tun_id=(\d+)/g);
      const [vlan] = numbers(f.actions, /mod_vlan_vid:(\d+)/g);
      if (vni !== undefined && vlan !== undefined) (out[vlan] ??= new Set()).add(vni);
    }
  return Object.fromEntries(Object.entries(out).map(([v, s]) => [v, [...s].sort((a, b) => a - b)]));
}

/**
 * A link per pair of tunnel ports that point at each other (each one's remote_ip the
 * other's local_ip) on two hosts, drawn once, named by type, key, the VNIs the flows carry
 * and the two underlay addresses.
 */
function tunnelLinks(lab: DeclaredLab, hosts: string[]): Link[] {
  const ports = lab.tunnelPort.map((spec, i) => ({ spec, host: lab.placements?.tunnelPort?.[i]?.host }));
  const links: Link[] = [];
  ports.forEach((a, i) => {
    ports.slice(i + 1).forEach((b) => {
      const facing = a.spec.localIp === b.spec.remoteIp && b.spec.localIp === a.spec.remoteIp;
      if (!facing || !a.host || !b.host || a.host === b.host) return;
      const [from, to] = hosts.indexOf(a.host) <= hosts.indexOf(b.host) ? [a, b] : [b, a];
      const vnis = vnisOn(onHost(lab, from.host!), from.spec.bridge);
      const carried = vnis.length ? ` · VNI ${vnis.join(",")}` : "";
      const key = from.spec.key === "flow" ? `key=flow${carried}` : `VNI ${from.spec.key}`;
      links.push({
        from: { box: boxKey("bridge", from.spec.bridge, from.host), row: from.spec.name },
        to: { box: boxKey("bridge", to.spec.bridge, to.host), row: to.spec.name },
        kind: "tunnel",
        label: `${from.spec.type} ${key} · ${from.spec.localIp} ⇄ ${from.spec.remoteIp}`,
      });
    });
  });
  return links;
}

export function labDiagram(lab: DeclaredLab, options: DiagramOptions = {}): Diagram {
  const maxFlows = options.maxFlows ?? 8;
  // One host (or placements unknown): one part, boxes keyed by name as before.
  const hosts = hostsOf(lab).length > 1 ? hostsOf(lab) : [];
  const parts = hosts.length ? hosts.map((h) => hostPart(onHost(lab, h), maxFlows, h)) : [hostPart(lab, maxFlows)];
  const boxes = parts.flatMap((p) => p.boxes);
  const links = [...parts.flatMap((p) => p.links), ...(hosts.length ? tunnelLinks(lab, hosts) : [])];
  const vlans = [...new Set(boxes.flatMap((b) => b.rows.flatMap((r) => (r.vlan !== undefined ? [r.vlan] : []))))];
  return { boxes, links, vlans: vlans.sort((x, y) => x - y), hosts, vnis: vlanVnis(lab) };
}
