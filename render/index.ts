// `ovslab graph`: a declared lab as Mermaid text, Graphviz DOT or an SVG drawn offline.
import { DeclaredLab } from "../core/graph/declared";
import { labDiagram } from "../core/graph/diagram";
import { diagramToDot } from "../core/graph/dot";
import { diagramToMermaid } from "../core/graph/mermaid";
import { renderSvg } from "./svg";

export type GraphFormat = "svg" | "mermaid" | "dot";

export async function drawLab(lab: DeclaredLab, format: GraphFormat, title = "lab"): Promise<string> {
  const diagram = labDiagram(lab);
  if (format === "mermaid") return diagramToMermaid(diagram);
  const dot = diagramToDot(diagram, title);
  return format === "dot" ? dot : renderSvg(dot);
}

export { renderSvg };
