import { strict as assert } from "assert";
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

  it("reads the host's link names with shell builtins, starting no process", () => {
    const script = readRouter("r", []).argv[2];
    const host = script.slice(script.indexOf("@@ovslab host"), script.indexOf('[ -e "/var/run/netns/'));
    assert.match(host, /<\/proc\/net\/dev/);
    assert.doesNotMatch(host, /\bip\b|\bcat\b|\bawk\b|\bsed\b/);
  });
});
