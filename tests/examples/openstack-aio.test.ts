// examples/openstack-aio (the seed lab) under Pulumi mocks: the seed article's facts, each
// checked on the commands the program compiles to.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { drawLab } from "../../render";
import { Lab, loadLab } from "../../testing"; // in a lab of your own: from "ovslab/testing"

const EXAMPLE = path.join(__dirname, "..", "..", "examples", "openstack-aio");

describe("examples/openstack-aio (the seed lab) under mocks", () => {
  let lab: Lab;
  before(async () => {
    lab = await loadLab(EXAMPLE);
  });

  it("makes br-int the secure integration bridge with jack, jill, bar and foo on VLANs 1-4", () => {
    assert.equal(lab.bridge("br-int").spec.failMode, "secure");
    const tags = Object.fromEntries(
      lab
        .ports("br-int")
        .filter((p) => ["jack", "jill", "bar", "foo"].includes(p.name))
        .map((p) => [p.name, p.tag]),
    );
    assert.deepEqual(tags, { jack: 1, jill: 2, bar: 3, foo: 4 });
  });

  it("joins br-int and br-ex with the int-br-ex/phy-br-ex patch pair, in one OVSDB transaction", () => {
    const [pair] = lab.patchPairs("br-ex");
    assert.deepEqual(pair.spec, {
      a: { bridge: "br-int", port: "int-br-ex", peer: "phy-br-ex" },
      b: { bridge: "br-ex", port: "phy-br-ex", peer: "int-br-ex" },
    });
    assert.equal(pair.commands.length, 1);
    assert.match(
      pair.commands[0],
      /add-port br-int int-br-ex .* options:peer=phy-br-ex .* add-port br-ex phy-br-ex .* options:peer=int-br-ex/,
    );
  });

  it("gives br-ex the strip_vlan rule on the patch port: VLAN 1 leaves untagged", () => {
    const strip = lab.flows("br-ex").find((f) => f.actions === "strip_vlan,NORMAL");
    assert.deepEqual(strip && { priority: strip.priority, match: strip.match }, {
      priority: 4,
      match: "in_port=phy-br-ex,dl_vlan=1",
    });
    assert.ok(
      lab.resource(strip!.resource).commands[0].includes(strip!.line),
      "the rule is in the bundle the provider applies",
    );
  });

  it("routes the tenant networks out of the qrouter's qg- port with SNAT and a floating IP", () => {
    const router = lab.router("qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7").spec;
    const gateway = router.interfaces.find((i) => i.name.startsWith("qg-"))!;
    assert.equal(gateway.bridge, "br-ex");
    assert.ok(
      router.interfaces
        .filter((i) => i.name.startsWith("qr-"))
        .every((i) => i.bridge === "br-int" && i.tag !== undefined),
    );
    assert.ok(router.snat.length > 0 && router.snat.every((s) => s.interface === gateway.name));
    assert.ok(router.floatingIps.length > 0);
  });

  it("plans the patch pair before the flows that name its ports", () => {
    const order = lab.resources.map((r) => r.kind);
    assert.ok(order.lastIndexOf("patchPair") < order.indexOf("flowTable"), order.join(", "));
  });

  it("draws the picture its README shows (to redraw: ovslab graph examples/openstack-aio --out examples/openstack-aio/lab.svg)", async () => {
    const svg = await drawLab(lab.declared, "svg", `${lab.project}/${lab.stack}`);
    assert.ok(
      svg === fs.readFileSync(path.join(EXAMPLE, "lab.svg"), "utf8"),
      "examples/openstack-aio/lab.svg is out of date",
    );
  });
});
