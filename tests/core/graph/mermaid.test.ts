import { strict as assert } from "node:assert";
import { labDiagram } from "../../../core/graph/diagram";
import { diagramToMermaid, escapeMermaid } from "../../../core/graph/mermaid";
import { smallLab, twoHostLab } from "./fixture";

describe("diagramToMermaid", () => {
  const text = diagramToMermaid(labDiagram(smallLab()));

  it("writes a left-to-right flowchart with a subgraph per bridge and router, a node per port", () => {
    assert.ok(text.startsWith('%%{init: {"flowchart": {"wrappingWidth": 640}}}%%\nflowchart LR\n'));
    assert.match(text, /^ {2}subgraph bridge_br_int\["br-int \(secure · netdev\)"\]$/m);
    assert.match(text, /^ {4}bridge_br_int_vm1\["vm1<br\/>internal · tag 101"\]$/m);
    assert.match(
      text,
      /^ {2}subgraph router_qrouter_1\["qrouter-1 \(namespace · upstream gateway 172\.24\.4\.1\)"\]$/m,
    );
    assert.match(
      text,
      /^ {4}bridge_br_ex__section0>"3 flows .*<br\/>t0 p4 in_port=phy-br-ex,dl_vlan=1 → strip_vlan,NORMAL<br\/>/m,
    );
  });

  it("links patch ends with a thick labelled line and router interfaces with a dotted one", () => {
    assert.match(text, /^ {2}bridge_br_int_int_br_ex ===\|"patch · all VLANs \(trunk\)"\| bridge_br_ex_phy_br_ex$/m);
    assert.match(text, /^ {2}bridge_br_int_qr_a -\.- router_qrouter_1_qr_a$/m);
  });

  it("keeps ids unique when names differ only in punctuation", () => {
    const lab = smallLab();
    lab.bridge[0].ports.push({ ...lab.bridge[0].ports[0], name: "vm.1" }, { ...lab.bridge[0].ports[0], name: "vm_1" });
    const ids = diagramToMermaid(labDiagram(lab)).match(/bridge_br_int_vm_1(_\d)?\[/g);
    assert.deepEqual(ids, ["bridge_br_int_vm_1[", "bridge_br_int_vm_1_2["]);
  });

  it("writes quotes, angle brackets and # as character codes", () => {
    assert.equal(escapeMermaid(`a"<b>#&`), "a#34;#60;b#62;#35;#38;");
  });

  it("fills a VLAN's rows with its colour", () => {
    assert.match(text, /^ {2}style bridge_br_int_vm1 fill:#[0-9a-f]{6}$/m);
    assert.doesNotMatch(text, /^ {2}style bridge_br_ex_phy_br_ex fill:/m);
  });

  it("puts each host's boxes in a subgraph of the host and links tunnel ends across hosts", () => {
    const two = diagramToMermaid(labDiagram(twoHostLab()));
    assert.match(
      two,
      /^ {2}subgraph host_root_node_b_22\["host root@node-b:22"\]\n {4}subgraph bridge_br_int_root_node_b_22\[/m,
    );
    assert.match(
      two,
      /^ {2}bridge_br_tun_root_node_a_22_vx_b ---\|"vxlan key=flow · VNI 100 · 10\.250\.0\.1 ⇄ 10\.250\.0\.2"\| bridge_br_tun_root_node_b_22_vx_a$/m,
    );
  });
});
