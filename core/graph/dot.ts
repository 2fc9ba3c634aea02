// A lab diagram as Graphviz DOT: each box an HTML-like table (a header, one row per port or
// interface, then its sections), links drawn between rows. Rendered to SVG offline.
import { Box, Diagram, Link } from "./diagram";

const COLORS = {
  bridge: { line: "#1f4e79", head: "#1f4e79", fill: "#eef4fb" },
  router: { line: "#2f6b3a", head: "#2f6b3a", fill: "#eef7ef" },
} as const;
// Monospace: every renderer's monospace font is 0.6em wide, as Graphviz assumes, so text fits its box
// whatever font the viewer substitutes (a proportional font would spill over).
const FONT = "Courier";
const MONO = "Courier";

/** Text for an HTML-like label: Graphviz reads it as XML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A DOT string literal. */
const id = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

// One light colour per access VLAN, behind its rows in every box: a tenant whose VLAN spans
// two bridges (or racks) reads as one colour. Repeats after ten VLANs; the legend says which.
const VLAN_COLORS = [
  "#ffe08a", "#b8e0a8", "#f6b8c8", "#a8d4f0", "#d9c2f0",
  "#ffc89a", "#a8e6dc", "#e6e6a0", "#f0c0a8", "#c8c8c8",
];

/** The colour a VLAN's rows are drawn in: by its place among the lab's VLANs. */
export const vlanColor = (vlans: number[], vlan: number) =>
  VLAN_COLORS[Math.max(0, vlans.indexOf(vlan)) % VLAN_COLORS.length];

const portOf = (box: Box, row: string) => `r${box.rows.findIndex((r) => r.key === row)}`;

function table(box: Box, vlans: number[]): string {
  const c = COLORS[box.kind];
  const lines: string[] = [];
  lines.push(`<table border="1" cellborder="0" cellspacing="0" cellpadding="5" color="${c.line}" bgcolor="${c.fill}">`);
  lines.push(
    `<tr><td bgcolor="${c.head}" align="center"><font color="white" point-size="13"><b>${escapeHtml(box.title)}</b></font>` +
      `<br/><font color="white" point-size="9">${escapeHtml(box.subtitle)}</font></td></tr>`,
  );
  // Names padded to one width: with a monospace font the details line up in a column.
  const width = Math.max(0, ...box.rows.map((r) => r.label.length));
  box.rows.forEach((row, i) => {
    const pad = " ".repeat(width - row.label.length + 2);
    lines.push(
      `<tr><td port="r${i}" align="left" balign="left"${row.vlan !== undefined ? ` bgcolor="${vlanColor(vlans, row.vlan)}"` : ""}><b>${escapeHtml(row.label)}</b>${pad}<font color="#444444">${escapeHtml(row.detail)}</font></td></tr>`,
    );
  });
  for (const section of box.sections) {
    const body = section.lines.map((l) => escapeHtml(l)).join("<br/>");
    lines.push(
      `<tr><td align="left" balign="left" bgcolor="white"><font point-size="9" color="#666666">${escapeHtml(section.title)}</font><br/>` +
        `<font face="${MONO}" point-size="9">${body}</font></td></tr>`,
    );
  }
  lines.push("</table>");
  return lines.join("\n");
}

const EDGE_STYLE: Record<Link["kind"], string> = {
  patch: `color="#1f4e79", penwidth=2, dir=both, arrowhead=none, arrowtail=none, fontcolor="#1f4e79"`,
  router: `color="#2f6b3a", style=dashed, arrowhead=none`,
  // Between hosts: the underlay, drawn apart from the bridges' own links.
  tunnel: `color="#b35900", penwidth=2, style=bold, constraint=false, dir=both, arrowhead=none, arrowtail=none, fontcolor="#b35900"`,
};

function edge(diagram: Diagram, link: Link): string {
  const from = diagram.boxes.find((b) => b.key === link.from.box)!;
  const to = diagram.boxes.find((b) => b.key === link.to.box)!;
  const style = EDGE_STYLE[link.kind] + (link.kind === "router" ? "" : `, label=${id(link.label)}`);
  // Tunnels leave their rows on the left, where no box is: they run beside the hosts, not across them.
  const side = link.kind === "tunnel" ? ":w" : "";
  const end = (box: Box, row: string) => `${id(box.key)}:${portOf(box, row)}${side}`;
  return `  ${end(from, link.from.row)} -> ${end(to, link.to.row)} [${style}];`;
}

/** Which colour is which VLAN, and what an unmarked patch link carries. */
function legend(vlans: number[], vnis: Diagram["vnis"]): string {
  const vni = (v: number) => (vnis[v]?.length ? ` ⇄ VNI ${vnis[v].join(",")}` : "");
  const rows = vlans.map(
    (v) => `<tr><td bgcolor="${vlanColor(vlans, v)}" align="left">VLAN ${v} (tag ${v})${vni(v)}</td></tr>`,
  );
  return [
    `<table border="1" cellborder="0" cellspacing="0" cellpadding="4" color="#888888" bgcolor="white">`,
    `<tr><td align="center"><font point-size="10"><b>VLANs</b></font></td></tr>`,
    ...rows,
    `<tr><td align="left"><font point-size="9" color="#1f4e79">━ patch: all VLANs unless marked</font></td></tr>`,
    ...(Object.keys(vnis).length
      ? [
          `<tr><td align="left"><font point-size="9" color="#b35900">━ tunnel: VNIs by flow, underlay ends</font></td></tr>`,
        ]
      : []),
    "</table>",
  ].join("\n");
}

export function diagramToDot(diagram: Diagram, title = "lab"): string {
  const out = [
    `digraph ${id(title)} {`,
    `  graph [rankdir=LR, fontname="${FONT}", bgcolor="white", pad=0.3, nodesep=0.4, ranksep=0.8];`,
    `  node [shape=plain, fontname="${FONT}", fontsize=11];`,
    `  edge [fontname="${FONT}", fontsize=10];`,
  ];
  const node = (box: Box) => `  ${id(box.key)} [label=<\n${table(box, diagram.vlans)}\n>];`;
  if (diagram.hosts.length) {
    // A cluster per host, its bridges in one column inside it.
    // Emitted last host first: Graphviz stacks the clusters bottom-up, so the first host is drawn on top.
    [...diagram.hosts].reverse().forEach((host) => {
      const i = diagram.hosts.indexOf(host);
      const boxes = diagram.boxes.filter((b) => b.host === host);
      out.push(`  subgraph "cluster_host${i}" {`);
      out.push(`    label=${id(`host ${host}`)}; labeljust=l; style="rounded,dashed"; color="#888888"; fontsize=13;`);
      out.push(...boxes.map((b) => "  " + node(b)));
      const bridges = boxes.filter((b) => b.kind === "bridge");
      if (bridges.length > 1) out.push(`    { rank=same; ${bridges.map((b) => id(b.key)).join("; ")}; }`);
      out.push("  }");
    });
  } else for (const box of diagram.boxes) out.push(node(box));
  if (diagram.vlans.length) out.push(`  "legend" [label=<\n${legend(diagram.vlans, diagram.vnis)}\n>];`);
  // Only links between rows that exist: a router on an undeclared bridge still has its box.
  for (const link of diagram.links) {
    const from = diagram.boxes.find((b) => b.key === link.from.box);
    const to = diagram.boxes.find((b) => b.key === link.to.box);
    if (from?.rows.some((r) => r.key === link.from.row) && to?.rows.some((r) => r.key === link.to.row))
      out.push(edge(diagram, link));
  }
  // Bridges stacked in one column and namespaces beside them: narrow enough to stay
  // readable at a README's width, patch pairs drawn along the bridges' left side.
  const bridges = diagram.boxes.filter((b) => b.kind === "bridge");
  if (bridges.length > 1 && !diagram.hosts.length)
    out.push(`  { rank=same; ${bridges.map((b) => id(b.key)).join("; ")}; }`);
  out.push("}");
  return out.join("\n") + "\n";
}
