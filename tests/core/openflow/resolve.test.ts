import { strict as assert } from "assert";
import { numberActions, numberMatch } from "../../../core/openflow/resolve";

const numbers = new Map([
  ["phy-br-ex", 1],
  ["123", 4],
  ["br-ex", 65534],
]);

describe("port names -> numbers for parse-flows", () => {
  it("turns in_port names, quoted or bare, into numbers and leaves the rest as written", () => {
    assert.equal(numberMatch('in_port="phy-br-ex",dl_vlan=1', numbers), "in_port=1,dl_vlan=1");
    assert.equal(numberMatch("in_port=phy-br-ex, tcp", numbers), "in_port=1,tcp");
    assert.equal(numberMatch("in_port=123", numbers), "in_port=123", "a bare number is a number");
    assert.equal(numberMatch('in_port="123"', numbers), "in_port=4", "a quoted number is a name");
  });

  it("turns the places a port stands in actions into numbers, the bridge's own port into LOCAL", () => {
    assert.equal(
      numberActions(
        'strip_vlan,output:"phy-br-ex",phy-br-ex,resubmit(phy-br-ex,3),enqueue:phy-br-ex:2,output(port=br-ex,max_len=9)',
        numbers,
      ),
      "strip_vlan,output:1,1,resubmit(1,3),enqueue:1:2,output(port=LOCAL,max_len=9)",
    );
    assert.equal(
      numberActions("clone(output:phy-br-ex),write_actions(phy-br-ex)", numbers),
      "clone(output:1),write_actions(1)",
    );
  });

  it("leaves names the bridge does not have, fields and other actions for OVS to judge", () => {
    assert.equal(
      numberActions("output:nosuch,output:NXM_NX_REG0[],learn(output:NXM_OF_IN_PORT[]),NORMAL", numbers),
      "output:nosuch,output:NXM_NX_REG0[],learn(output:NXM_OF_IN_PORT[]),NORMAL",
    );
  });
});
