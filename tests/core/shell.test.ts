import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { chainCommands, formatArgv, formatCommand, formatScript, quote, STEP, stepOutput } from "../../core/shell";

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

describe("chainCommands", () => {
  const run = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { encoding: "utf8" });

  it("runs the steps in order as one command, each with its own stdin, a marker line before each step's output", () => {
    const chained = chainCommands([
      { argv: ["echo", "one"] },
      { argv: ["cat"], stdin: "it's $HOME\nsecond line" },
      { argv: ["echo", "three"] },
    ]);
    assert.equal(chained.argv[0], "sh");
    const result = run(chained.argv);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `${STEP}0\none\n${STEP}1\nit's $HOME\nsecond line\n${STEP}2\nthree\n`);
  });

  it("stops at the first step that fails, with its exit status; stepOutput names it and gives its own output", () => {
    const chained = chainCommands([
      { argv: ["echo", "done"] },
      { argv: ["sh", "-c", "echo partial; echo 'RTNETLINK answers: File exists' >&2; exit 2"] },
      { argv: ["touch", "/nonexistent-dir/never"] },
    ]);
    const result = run(chained.argv);
    assert.equal(result.status, 2);
    assert.deepEqual(stepOutput(result.stdout, result.stderr), {
      step: 1,
      stdout: "partial\n",
      stderr: "RTNETLINK answers: File exists\n",
    });
    assert.doesNotMatch(result.stdout + result.stderr, /nonexistent|@@ovslab-step 2/, "the step after the failing one never ran");
  });

  it("tells no step when the output carries no markers or disagreeing ones", () => {
    assert.equal(stepOutput("plain\n", "error\n"), undefined);
    assert.equal(stepOutput(`${STEP}1\n`, `${STEP}0\n`), undefined);
  });
});
