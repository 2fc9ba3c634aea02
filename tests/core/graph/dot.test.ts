import { strict as assert } from "node:assert";
import { labDiagram } from "../../../core/graph/diagram";
import { diagramToDot, escapeHtml, vlanColor } from "../../../core/graph/dot";
import { smallLab, twoHostLab } from "./fixture";

describe("diagramToDot", () => {
  const dot = diagramToDot(labDiagram(smallLab()), "p/dev");

  it("draws each box as an HTML-like table, one port per row, left to right", () => {
    assert.match(dot, /^digraph "p\/dev" \{\n {2}graph \[rankdir=LR/);
    assert.match(dot, /"bridge:br-int" \[label=<\n<table /);
    assert.match(
      dot,
      /<td port="r1" align="left" balign="left"><b>int-br-ex<\/b> {2}<font color="#444444">patch ⇄ phy-br-ex<\/font><\/td>/,
    );
  });

  it("pads names to one width so the details line up in the monospace font", () => {
    assert.match(dot, /<b>vm1<\/b> {8}<font/);
    assert.match(dot, /<b>qr-a<\/b> {7}<font/);
  });

  it("joins rows: a patch pair as a bold labelled line, a router interface as a dashed one", () => {
    assert.match(
      dot,
      /"bridge:br-int":r1 -> "bridge:br-ex":r0 \[color="#1f4e79", penwidth=2, .*label="patch · all VLANs \(trunk\)"\];/,
    );
    assert.match(dot, /"bridge:br-int":r2 -> "router:qrouter-1":r0 \[color="#2f6b3a", style=dashed, arrowhead=none\];/);
  });

  it("draws a VLAN's rows in one colour in every box and a legend saying which colour is which VLAN", () => {
    const colour = vlanColor([101], 101);
    assert.match(dot, new RegExp(`<td port="r0" align="left" balign="left" bgcolor="${colour}"><b>vm1</b>`));
    assert.match(dot, new RegExp(`<td port="r0" align="left" balign="left" bgcolor="${colour}"><b>qr-a</b>`));
    assert.doesNotMatch(dot, new RegExp(`bgcolor="${colour}"><b>qg-b</b>`));
    assert.match(
      dot,
      new RegExp(`"legend" \\[label=<[^]*<td bgcolor="${colour}" align="left">VLAN 101 \\(tag 101\\)</td>`),
    );
    assert.notEqual(vlanColor([101, 102], 102), vlanColor([101, 102], 101));
  });

  it("draws no legend for a lab without VLANs", () => {
    const lab = smallLab();
    const plain = diagramToDot(labDiagram({ ...lab, bridge: [], routerNamespace: [] }));
    assert.doesNotMatch(plain, /"legend"/);
  });

  it("escapes what the labels' XML would read as markup", () => {
    assert.equal(escapeHtml(`a<b>&"c"`), "a&lt;b&gt;&amp;&quot;c&quot;");
  });

  it("draws each host as a cluster around its boxes and tunnels as bold lines between hosts' rows", () => {
    const two = diagramToDot(labDiagram(twoHostLab()));
    const cluster = /subgraph "cluster_host1" \{\n\s+label="host root@node-b:22";[^]*?\n {2}\}/.exec(two)?.[0] ?? "";
    assert.match(cluster, /"bridge:br-int@root@node-b:22" \[label=</);
    assert.doesNotMatch(cluster, /@root@node-a:22/);
    assert.match(
      two,
      /"bridge:br-tun@root@node-a:22":r0:w -> "bridge:br-tun@root@node-b:22":r0:w \[color="#b35900".*label="vxlan key=flow · VNI 100 · 10\.250\.0\.1 ⇄ 10\.250\.0\.2"\];/,
    );
    assert.match(two, /VLAN 1 \(tag 1\) ⇄ VNI 100<\/td>/);
    assert.doesNotMatch(dot, /cluster_/);
  });
});
