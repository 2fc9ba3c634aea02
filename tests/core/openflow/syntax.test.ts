import { strict as assert } from "assert";
import { badCharacter, balanced, closest, splitTopLevel, unquote, unquoteAll } from "../../../core/openflow/syntax";

describe("flow syntax", () => {
  it("splits at top-level commas only, stepping over (), [] and quoted names", () => {
    assert.deepEqual(
      splitTopLevel('ct(commit,zone=1,exec(set_field:1->ct_mark)),output:"a,b",load:1->reg0[0..3],NORMAL'),
      ["ct(commit,zone=1,exec(set_field:1->ct_mark))", 'output:"a,b"', "load:1->reg0[0..3]", "NORMAL"],
    );
    assert.deepEqual(splitTopLevel(""), []);
  });

  it("removes the quotes OVS puts around port names", () => {
    assert.equal(unquote('"phy-br-ex"'), "phy-br-ex");
    assert.equal(unquoteAll('in_port="phy-br-ex",dl_vlan=1'), "in_port=phy-br-ex,dl_vlan=1");
  });

  it("names the first character that could escape a bundle line or a shell", () => {
    assert.equal(badCharacter("in_port=1,dl_vlan=1"), undefined);
    assert.match(badCharacter("a;b")!, /^contains ";"/);
    assert.match(badCharacter("a\nb")!, /^contains a newline/);
    assert.match(badCharacter("a`b")!, /^contains a backtick/);
    assert.match(badCharacter("a|b")!, /^contains "\|"/);
  });

  it("checks brackets are balanced", () => {
    assert.equal(balanced("ct(exec(x))"), true);
    assert.equal(balanced("ct(exec(x)"), false);
    assert.equal(balanced("a)("), false);
  });

  it("suggests the closest known word", () => {
    assert.equal(closest("dl_vlann", ["dl_vlan", "dl_src"]), "dl_vlan");
    assert.equal(closest("zzzzzz", ["dl_vlan"]), undefined);
  });
});
