import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { configLines } from "../../bin/lab";

describe("ovslab lab", () => {
  it("prints config lines a shell runs as they are, the key read from its file", () => {
    const line = {
      name: "vm",
      connection: { host: "127.0.0.1", port: 40022, user: "root", privateKey: "k", hostKey: "ssh-ed25519 AAAA x'y" },
    };
    const lines = configLines(line, ".ovslab/lab key");
    assert.deepEqual(lines, [
      "pulumi config set ovslab:host 127.0.0.1",
      "pulumi config set ovslab:port 40022",
      "pulumi config set ovslab:user root",
      "pulumi config set ovslab:hostKey 'ssh-ed25519 AAAA x'\\''y'",
      "pulumi config set --secret ovslab:privateKey < '.ovslab/lab key'",
    ]);
    // What the shell hands pulumi: the host key as one argument.
    const argv = execFileSync("sh", ["-c", `pulumi() { printf '%s\\n' "$@"; }; ${lines[3]}`], { encoding: "utf8" });
    assert.equal(argv, "config\nset\novslab:hostKey\nssh-ed25519 AAAA x'y\n");
  });
});
