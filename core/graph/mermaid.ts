// A lab diagram as Mermaid flowchart text (GitHub renders it in Markdown): a subgraph per
// box, a node per row, a note node per section, links between rows.
import { Diagram } from "./diagram";
import { vlanColor } from "./dot";

/**
 * Text inside a quoted Mermaid label. Mermaid reads `#NN;` as a character code, so quotes,
 * angle brackets and `#` itself become codes (a `<b>` in a name stays text).
 */
export function escapeMermaid(text: string): string {
  return text.replace(/[#"<>&]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Mermaid ids are plain words: every other character becomes `_`, clashes get a number. */
function idMaker(): (key: string) => string {
  const taken = new Map<string, string>();
  const used = new Set<string>();
  return (key) => {
    const known = taken.get(key);
    if (known) return known;
    const base = key.replace(/[^A-Za-z0-9]/g, "_");
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    taken.set(key, id);
    used.add(id);
    return id;
  };
}

// `style` (not `class`) colours subgraphs in every Mermaid version GitHub has shipped.
const STYLE = { bridge: "fill:#eef4fb,stroke:#1f4e79", router: "fill:#eef7ef,stroke:#2f6b3a" } as const;

const label = (...lines: string[]) => `"${lines.filter(Boolean).map(escapeMermaid).join("<br/>")}"`;

export function diagramToMermaid(diagram: Diagram): string {
  const idOf = idMaker();
  // Flow and NAT lines are long: Mermaid would wrap them at 200px.
  const out = ['%%{init: {"flowchart": {"wrappingWidth": 640}}}%%', "flowchart LR"];
  const rowId = (box: string, row: string) => idOf(`${box}/${row}`);
  const boxText = (box: Diagram["boxes"][number], indent: string) => {
    out.push(`${indent}subgraph ${idOf(box.key)}[${label(`${box.title} (${box.subtitle})`)}]`);
    out.push(`${indent}  direction TB`);
    for (const row of box.rows) out.push(`${indent}  ${rowId(box.key, row.key)}[${label(row.label, row.detail)}]`);
    box.sections.forEach((s, i) =>
      out.push(`${indent}  ${idOf(`${box.key}/#section${i}`)}>${label(s.title, ...s.lines)}]`),
    );
    out.push(`${indent}end`);
  };
  // A lab on several hosts: a subgraph per host around its boxes.
  if (diagram.hosts.length)
    diagram.hosts.forEach((host) => {
      out.push(`  subgraph ${idOf(`host:${host}`)}[${label(`host ${host}`)}]`);
      diagram.boxes.filter((b) => b.host === host).forEach((b) => boxText(b, "    "));
      out.push("  end");
    });
  else diagram.boxes.forEach((b) => boxText(b, "  "));
  for (const link of diagram.links) {
    const from = rowId(link.from.box, link.from.row);
    const to = rowId(link.to.box, link.to.row);
    const arrow = { patch: `===|${label(link.label)}|`, tunnel: `---|${label(link.label)}|`, router: "-.-" }[link.kind];
    out.push(`  ${from} ${arrow} ${to}`);
  }
  for (const box of diagram.boxes) out.push(`  style ${idOf(box.key)} ${STYLE[box.kind]}`);
  // A VLAN's rows in its colour, as in the SVG (Mermaid has no legend: the row says `tag N`).
  for (const box of diagram.boxes)
    for (const row of box.rows)
      if (row.vlan !== undefined)
        out.push(`  style ${rowId(box.key, row.key)} fill:${vlanColor(diagram.vlans, row.vlan)}`);
  return out.join("\n") + "\n";
}
