import { strict as assert } from "assert";
import { formatArgv, formatCommand, formatScript, quote } from "../../core/shell";

describe("quote", () => {
  it("leaves plain words bare so printed commands read naturally", () => {
    assert.equal(formatArgv(["ovs-vsctl", "--may-exist", "add-br", "br-int"]), "ovs-vsctl --may-exist add-br br-int");
  });

  it("turns shell metacharacters into one inert word", () => {
    assert.equal(quote("x;rm -rf /"), "'x;rm -rf /'");
    assert.equal(quote("$(reboot)"), "'$(reboot)'");
    assert.equal(quote("it's"), `'it'\\''s'`);
    assert.equal(quote(""), "''");
  });

  it("round-trips every byte through a real shell", async () => {
    const { execFileSync } = await import("child_process");
    const nasty = ["a b", "$(id)", "`id`", "x'y\"z", "semi;colon", "new\nline", "back\\slash", "*", "~root", "-n"];
    const out = execFileSync("sh", ["-c", `printf '%s\\0' ${nasty.map(quote).join(" ")}`]).toString();
    assert.deepEqual(out.split("\0").slice(0, -1), nasty);
  });
});

describe("formatCommand", () => {
  it("feeds stdin as a quoted heredoc whose delimiter cannot occur in the text", () => {
    const text = formatCommand({ argv: ["cat"], stdin: "OVSLAB_EOF\n$HOME\n" });
    assert.equal(text, "cat <<'OVSLAB_EOF_1'\nOVSLAB_EOF\n$HOME\nOVSLAB_EOF_1");
  });

  it("prints a script with each step's reason as a comment", () => {
    assert.equal(formatScript([{ argv: ["ovs-vsctl", "add-br", "b"], why: "create bridge b" }]), "# create bridge b\novs-vsctl add-br b\n");
  });
});
