import { strict as assert } from "assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRouter } from "../../../core/compile/router";

describe("compile/router readRouter", () => {
  it("reads the whole namespace in one command, names only as positional parameters", () => {
    const op = readRouter("qrouter-1;reboot", ["net.ipv4.ip_forward"]);
    assert.deepEqual(op.argv.slice(0, 2), ["sh", "-c"]);
    assert.deepEqual(op.argv.slice(3), ["sh", "qrouter-1;reboot", "nat", "net.ipv4.ip_forward"]);
    assert.ok(!op.argv[2].includes("qrouter"), "the script text holds no name");
  });

  it("leaves the nat table out when asked, in the same script", () => {
    const op = readRouter("r", ["net.ipv4.ip_forward"], false);
    assert.deepEqual(op.argv.slice(3), ["sh", "r", "-", "net.ipv4.ip_forward"]);
    assert.equal(op.argv[2], readRouter("r", []).argv[2]);
    assert.doesNotMatch(op.why, /nat/);
  });

  it("reads inside the namespace entered once, with read-only tools", () => {
    const script = readRouter("r", []).argv[2];
    for (const tool of [
      'nsenter --net="/var/run/netns/$ns" bash -c',
      'ip -n "$ns" -json -details -batch - <<<"address show\nroute show table all"',
      'read -r value 2>/dev/null <"/proc/sys/$path"',
      "iptables-save -t nat",
    ]) {
      assert.ok(script.includes(tool), tool);
    }
    assert.ok(!/\b(add|del|replace|restore|-w)\b/.test(script.replace("iptables-save", "")), "no write verb");
  });

  it("reads the host's link names from /proc/net/dev, one a line, in one process (no byte-at-a-time read loop)", () => {
    const script = readRouter("r", []).argv[2];
    const host = script.slice(script.indexOf("echo '@@ovslab host"), script.indexOf('[ -e "/var/run/netns/'));
    assert.doesNotMatch(host, /\bwhile\b|\bread\b/, "dash's read costs a system call per byte");
    const dir = mkdtempSync(join(tmpdir(), "ovslab-netdev-"));
    try {
      const dev = join(dir, "dev");
      writeFileSync(
        dev,
        "Inter-|   Receive                            |  Transmit\n" +
          " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n" +
          "    lo:    1200      12    0    0    0     0          0         0     1200      12\n" +
          "qr-1a2b.100: 0 0 0 0 0 0 0 0 0 0\n" +
          "  br-int:       0       0    0    0    0     0          0         0        0       0\n",
      );
      const out = execFileSync("sh", ["-c", host.split("/proc/net/dev").join(dev)], { encoding: "utf8" });
      assert.deepEqual(out.split("\n"), ["@@ovslab host", "lo", "qr-1a2b.100", "br-int", ""]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
