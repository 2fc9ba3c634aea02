import { strict as assert } from "assert";
import { formatArgv } from "../../../core/shell";
import { tunnelPortSpec } from "../../../core/schema/tunnelPort";
import { LiveBridge, LiveBridges, LivePort } from "../../../core/live/bridge";
import {
  observeTunnelPort,
  planTunnelPort,
  planTunnelPortDelete,
  tunnelPortProblems,
} from "../../../core/plan/tunnelPort";
import { MissingBridgeError, OwnershipConflict } from "../../../core/plan/errors";

const OWNER = "lab/dev/TunnelPort/c1-to-c2";
const mark = { "ovslab-owner": OWNER };
const spec = tunnelPortSpec.parse({
  bridge: "br-tun",
  name: "vxlan-0afa000c",
  remoteIp: "10.250.0.12",
  localIp: "10.250.0.11",
});
const options = { remote_ip: "10.250.0.12", local_ip: "10.250.0.11", key: "flow" };

function port(p: Partial<LivePort> & { name: string }): LivePort {
  return { type: "vxlan", trunks: [], options, externalIds: mark, ...p };
}
function host(...ports: LivePort[]): LiveBridges {
  const bridge: LiveBridge = {
    name: "br-tun",
    failMode: "secure",
    datapathType: "netdev",
    protocols: [],
    externalIds: { "ovslab-owner": "lab/dev/Bridge/br-tun" },
    otherConfig: {},
    ports,
  };
  return { bridges: [bridge], portBridge: new Map(ports.map((p) => [p.name, "br-tun"])) };
}
const lines = (ops: { argv: string[] }[]) => ops.map((op) => formatArgv(op.argv));

describe("planTunnelPort", () => {
  it("creates the port, marked as ours, with its options in one transaction", () => {
    assert.deepEqual(lines(planTunnelPort(spec, host(), OWNER)), [
      "ovs-vsctl --may-exist add-port br-tun vxlan-0afa000c -- set Port vxlan-0afa000c external_ids:ovslab-owner=lab/dev/TunnelPort/c1-to-c2" +
        " -- set Interface vxlan-0afa000c type=vxlan options:remote_ip=10.250.0.12 options:local_ip=10.250.0.11 options:key=flow",
    ]);
  });

  it("plans nothing when the host has the port as declared", () => {
    assert.deepEqual(planTunnelPort(spec, host(port({ name: "vxlan-0afa000c" })), OWNER), []);
  });

  it("repairs a remote_ip changed by hand, and only that option", () => {
    const drifted = host(port({ name: "vxlan-0afa000c", options: { ...options, remote_ip: "10.250.0.99" } }));
    assert.deepEqual(lines(planTunnelPort(spec, drifted, OWNER)), [
      "ovs-vsctl set Interface vxlan-0afa000c options:remote_ip=10.250.0.12",
    ]);
  });

  it("removes an option the last applied spec declared and this one does not, keeping others' keys", () => {
    const live = host(port({ name: "vxlan-0afa000c", options: { ...options, dst_port: "4790", tos: "inherit" } }));
    const previous = tunnelPortSpec.parse({ ...spec, dstPort: 4790 });
    assert.deepEqual(lines(planTunnelPort(spec, live, OWNER, previous)), [
      "ovs-vsctl remove Interface vxlan-0afa000c options dst_port",
    ]);
  });

  it("renames by deleting our old port in the same transaction", () => {
    const [op] = lines(planTunnelPort(spec, host(port({ name: "vxlan-old" })), OWNER));
    assert.match(op, /^ovs-vsctl --if-exists del-port br-tun vxlan-old -- --may-exist add-port br-tun vxlan-0afa000c /);
  });

  it("refuses a port of the same name that is not ours, and a missing bridge", () => {
    const theirs = host(port({ name: "vxlan-0afa000c", externalIds: {} }));
    assert.throws(
      () => planTunnelPort(spec, theirs, OWNER),
      (e: unknown) => e instanceof OwnershipConflict && /not owned by/.test(String(e)),
    );
    assert.throws(() => planTunnelPort(spec, { bridges: [], portBridge: new Map() }, OWNER), MissingBridgeError);
  });
});

describe("planTunnelPortDelete", () => {
  it("deletes our port and leaves anyone else's on the bridge", () => {
    const live = host(port({ name: "vxlan-0afa000c" }), port({ name: "vxlan-theirs", externalIds: {} }));
    assert.deepEqual(lines(planTunnelPortDelete(spec, live, OWNER)), [
      "ovs-vsctl --if-exists del-port br-tun vxlan-0afa000c",
    ]);
    assert.deepEqual(planTunnelPortDelete(spec, host(port({ name: "vxlan-theirs", externalIds: {} })), OWNER), []);
  });
});

describe("observeTunnelPort", () => {
  it("shows the port in the spec's words, including a drifted remote_ip, and undefined once it is gone", () => {
    assert.deepEqual(observeTunnelPort(host(port({ name: "vxlan-0afa000c" })), spec, OWNER), spec);
    const drifted = observeTunnelPort(
      host(port({ name: "vxlan-0afa000c", options: { ...options, remote_ip: "10.250.0.99", key: "100" } })),
      spec,
      OWNER,
    );
    assert.deepEqual(drifted, { ...spec, remoteIp: "10.250.0.99", key: 100 });
    assert.equal(observeTunnelPort(host(port({ name: "vxlan-0afa000c", externalIds: {} })), spec, OWNER), undefined);
  });

  it("reports what OVS could not do with the port", () => {
    const broken = host(port({ name: "vxlan-0afa000c", error: "could not add network device vxlan-0afa000c" }));
    assert.equal(tunnelPortProblems(spec, broken).length, 1);
    assert.deepEqual(tunnelPortProblems(spec, host(port({ name: "vxlan-0afa000c" }))), []);
  });
});
