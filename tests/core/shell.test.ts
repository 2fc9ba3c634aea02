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
    assert.equal(
      formatScript([{ argv: ["ovs-vsctl", "add-br", "b"], why: "create bridge b" }]),
      "# create bridge b\novs-vsctl add-br b\n",
    );
  });
});

describe("formatScript", () => {
  it("runs an op only when its check fails: `check >/dev/null 2>&1 || op`, stdin after", () => {
    const op = {
      argv: ["ip", "-batch", "-"],
      stdin: "link set dev a netns x\n",
      why: "move a",
      unless: ["ip", "-n", "x", "link", "show", "dev", "a"],
    };
    assert.equal(
      formatScript([op]),
      "# move a\nip -n x link show dev a >/dev/null 2>&1 || ip -batch - <<'OVSLAB_EOF'\nlink set dev a netns x\nOVSLAB_EOF\n",
    );
  });

  it("continues a long ovs-vsctl transaction over lines before each `--`, same words", async () => {
    const argv = [
      "ovs-vsctl",
      "--may-exist",
      "add-br",
      "br-int",
      "--",
      "set",
      "Bridge",
      "br-int",
      "fail_mode=secure",
      "external_ids:ovslab-owner=project/stack/Bridge/br-int",
      "--",
      "--may-exist",
      "add-port",
      "br-int",
      "it's",
    ];
    const text = formatScript([{ argv, why: "create" }]);
    assert.equal(
      text,
      "# create\novs-vsctl --may-exist add-br br-int \\\n  -- set Bridge br-int fail_mode=secure external_ids:ovslab-owner=project/stack/Bridge/br-int \\\n  -- --may-exist add-port br-int 'it'\\''s'\n",
    );
    const { execFileSync } = await import("child_process");
    const command = text.split("\n").slice(1).join("\n").trimEnd();
    const words = execFileSync("bash", ["-c", `set -- ${command}\nprintf '%s\\0' "$@"`]).toString();
    assert.deepEqual(words.split("\0").slice(0, -1), argv, "bash reads back the same words");
  });
});
