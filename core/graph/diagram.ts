// A declared lab as a diagram, independent of how it is drawn: a box per bridge (one row
// per port, then its flows in the order OVS tries them) and per router namespace (one row
// per interface with its addresses, then routes and NAT), and the links between rows:
// patch pairs join two bridges, a router interface hangs off its bridge port.
import { FlowSpec } from "../schema/flow";
import { bridgeNames, DeclaredLab, flowsOn, portsOn, PortView } from "./declared";

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
  kind: "patch" | "router";
  /** E.g. `patch · all VLANs (trunk)` or `patch · trunks 10,20,30`. */
  label: string;
}

export interface Diagram {
  boxes: Box[];
  links: Link[];
  /** Every access VLAN (tag) in the lab, ascending: the legend's entries, one colour each. */
  vlans: number[];
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

function flowSection(flows: FlowSpec[], max: number): Array<{ title: string; lines: string[] }> {
  if (flows.length === 0) return [];
  // The order OVS tries them: by table, then highest priority first.
  const sorted = [...flows].sort((a, b) => a.table - b.table || b.priority - a.priority);
  const lines = sorted.slice(0, max).map(flowLine);
  if (sorted.length > max) lines.push(`+${sorted.length - max} more`);
  return [
    { title: `${flows.length} flow${flows.length === 1 ? "" : "s"} (t table, p priority: match → actions)`, lines },
  ];
}

function bridgeBox(lab: DeclaredLab, name: string, maxFlows: number): Box {
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
    key: `bridge:${name}`,
    kind: "bridge",
    title: name,
    subtitle,
    rows,
    sections: flowSection(flowsOn(lab, name), maxFlows),
  };
}

function routerBox(router: DeclaredLab["routerNamespace"][number]): Box {
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
  return { key: `router:${router.name}`, kind: "router", title: router.name, subtitle, rows, sections };
}

export function labDiagram(lab: DeclaredLab, options: DiagramOptions = {}): Diagram {
  const maxFlows = options.maxFlows ?? 8;
  const boxes = [
    ...bridgeNames(lab).map((name) => bridgeBox(lab, name, maxFlows)),
    ...lab.routerNamespace.map(routerBox),
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
      from: { box: `bridge:${pair.a.bridge}`, row: pair.a.port },
      to: { box: `bridge:${pair.b.bridge}`, row: pair.b.port },
      kind: "patch",
      label,
    });
  }
  for (const router of lab.routerNamespace) {
    for (const i of router.interfaces) {
      links.push({
        from: { box: `bridge:${i.bridge}`, row: i.name },
        to: { box: `router:${router.name}`, row: i.name },
        kind: "router",
        label: "",
      });
    }
  }
  const vlans = [...new Set(boxes.flatMap((b) => b.rows.flatMap((r) => (r.vlan !== undefined ? [r.vlan] : []))))];
  return { boxes, links, vlans: vlans.sort((x, y) => x - y) };
}
