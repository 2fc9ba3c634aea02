import { strict as assert } from "assert";
import {
  addressAdd,
  ipBatch,
  linkSet,
  linkSetNetns,
  markNamespace,
  namespaceMark,
  markBatchLine,
  netnsAddLine,
  netnsOfExec,
  routeDel,
  routeReplace,
  sysctlWrite,
} from "../../../core/compile/ip";
import { formatCommand } from "../../../core/shell";

describe("compile/ip", () => {
  it("batches many changes into one `ip -n NS -batch -` fed on stdin", () => {
    const op = ipBatch(
      [
        linkSet("qr-a", { mtu: 1450, up: true }),
        addressAdd("10.0.0.1/24", "qr-a"),
        routeReplace({ destination: "default", family: 4, via: "172.24.4.1" }),
      ],
      "converge",
      { netns: "qrouter-1" },
    );
    assert.equal(formatCommand(op!), [
      "ip -n qrouter-1 -batch - <<'OVSLAB_EOF'",
      "link set dev qr-a mtu 1450 up",
      "address replace 10.0.0.1/24 dev qr-a",
      "route replace default via 172.24.4.1",
      "OVSLAB_EOF",
    ].join("\n"));
  });

  it("plans no batch when there is nothing to change", () => {
    assert.equal(ipBatch([], "nothing"), undefined);
  });

  it("refuses a batch word that ip's batch reader would split or cut at #", () => {
    assert.throws(() => ipBatch([["link", "set", "dev", "x#y", "up"]], "bad"), /not a plain name/);
    assert.throws(() => ipBatch([["link", "set", "dev", "a b", "up"]], "bad"), /not a plain name/);
  });

  it("moves a device into a namespace from the host's own namespace", () => {
    assert.equal(
      formatCommand(ipBatch([linkSetNetns("qg-b", "qrouter-1")], "move")!),
      "ip -batch - <<'OVSLAB_EOF'\nlink set dev qg-b netns qrouter-1\nOVSLAB_EOF",
    );
  });

  it("spells the IPv6 default route ::/0, since ip reads `default` as IPv4", () => {
    assert.deepEqual(routeReplace({ destination: "default", family: 6, via: "fd00::ffff", device: "qg-b" }), [
      "route",
      "replace",
      "::/0",
      "via",
      "fd00::ffff",
      "dev",
      "qg-b",
    ]);
  });

  it("deletes a route exactly as the host reported it", () => {
    assert.deepEqual(routeDel({ destination: "10.9.0.0/16", family: 4, type: "blackhole", metric: 0 }), [
      "route",
      "del",
      "blackhole",
      "10.9.0.0/16",
    ]);
    assert.deepEqual(
      routeDel({ destination: "default", family: 6, via: "fd00::1", device: "qg-b", type: "unicast", metric: 1024 }),
      ["route", "del", "::/0", "via", "fd00::1", "dev", "qg-b", "metric", "1024"],
    );
  });

  it("marks a namespace through lo's alias, as one argv word whatever the owner holds", () => {
    const op = markNamespace("qrouter-1", "my proj/dev/r 1");
    assert.deepEqual(op.argv, ["ip", "-n", "qrouter-1", "link", "set", "dev", "lo", "up", "alias", "my proj/dev/r 1"]);
    assert.deepEqual(netnsAddLine("qrouter-1"), ["netns", "add", "qrouter-1"]);
  });

  it("puts the mark in a batch only when the batch reader keeps it one word", () => {
    assert.deepEqual(markBatchLine("proj/dev/RouterNamespace/r1"), [
      "link", "set", "dev", "lo", "up", "alias", "proj/dev/RouterNamespace/r1",
    ]);
    assert.equal(markBatchLine("my proj/dev/r 1"), undefined); // `ip -batch` splits on the blank
    assert.equal(markBatchLine("proj/dev/RouterNamespace/r#1"), undefined); // and cuts at `#`
  });

  it("keeps an over-long owner within the kernel's 255-byte alias, distinct per owner", () => {
    const long = (end: string) => `project/stack/RouterNamespace/${"r".repeat(300)}${end}`;
    const [a, b] = [namespaceMark(long("a")), namespaceMark(long("b"))];
    assert.ok(Buffer.byteLength(a) <= 255 && a !== b, a);
    assert.equal(namespaceMark("p/s/RouterNamespace/r1"), "p/s/RouterNamespace/r1");
  });

  it("writes all sysctls in one run inside the namespace", () => {
    assert.deepEqual(
      sysctlWrite("qrouter-1", { "net.ipv4.ip_forward": "1", "net.ipv4.ip_local_port_range": "1024 65000" })!.argv,
      [
        "nsenter",
        "--net=/var/run/netns/qrouter-1",
        "sysctl",
        "-q",
        "-w",
        "net.ipv4.ip_forward=1",
        "net.ipv4.ip_local_port_range=1024 65000",
      ],
    );
    assert.equal(sysctlWrite("qrouter-1", {}), undefined);
    assert.equal(netnsOfExec(sysctlWrite("qrouter-1", { "net.ipv4.ip_forward": "1" })!.argv), "qrouter-1");
    assert.equal(netnsOfExec(["nsenter", "--net=/proc/1/ns/net", "sysctl"]), undefined); // not a named namespace
  });
});
