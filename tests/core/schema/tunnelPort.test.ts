import { strict as assert } from "assert";
import { tunnelOptions, tunnelPortSpec } from "../../../core/schema/tunnelPort";
import { formatProblem, validate } from "../../../core/validation";

function fieldProblems(input: unknown): string[] {
  const result = validate(tunnelPortSpec, input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("tunnelPortSpec", () => {
  it("defaults to a VXLAN port whose key the flows set (key=flow, as Neutron's br-tun)", () => {
    const spec = tunnelPortSpec.parse({ bridge: "br-tun", name: "vxlan-0afa000c", remoteIp: "10.250.0.12" });
    assert.deepEqual(spec, {
      bridge: "br-tun",
      name: "vxlan-0afa000c",
      type: "vxlan",
      remoteIp: "10.250.0.12",
      key: "flow",
    });
    assert.deepEqual(tunnelOptions(spec), { remote_ip: "10.250.0.12", key: "flow" });
  });

  it("maps every declared field to its OVSDB option", () => {
    const spec = tunnelPortSpec.parse({
      bridge: "br-tun",
      name: "gre-1",
      type: "gre",
      remoteIp: "fd00::2",
      localIp: "fd00::1",
      key: 4294967295,
      dstPort: 4790,
    });
    assert.deepEqual(tunnelOptions(spec), {
      remote_ip: "fd00::2",
      local_ip: "fd00::1",
      key: "4294967295",
      dst_port: "4790",
    });
  });

  it("names each bad field and its rule", () => {
    assert.deepEqual(
      fieldProblems({ bridge: "br-tun", name: "br-tun", type: "stt", remoteIp: "10.250.0.300", dstPort: 0 }),
      [
        "type: must be one of vxlan, gre, geneve",
        "remoteIp: must be an IPv4 or IPv6 address, as OVS's remote_ip takes",
        "dstPort: must be 1-65535",
      ],
    );
    assert.deepEqual(
      fieldProblems({ bridge: "br-tun", name: "br-tun", remoteIp: "10.0.0.1", localIp: "fd00::1", key: 16777216 }),
      [
        "key: must be 0-16777215 for a vxlan port (24 bits)",
        "name: is the bridge's own internal port, which OVS creates",
        "localIp: must be of the same IP version as remoteIp",
      ],
    );
    assert.deepEqual(
      fieldProblems({ bridge: "br-tun", name: "v", remoteIp: "10.0.0.1", localIp: "10.0.0.1", extra: 1 }),
      ["extra: unknown field", "localIp: is also remoteIp; a tunnel joins two hosts"],
    );
  });
});
