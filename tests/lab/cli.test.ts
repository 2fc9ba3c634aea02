import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LabConnection } from "../../lab";
import { clientFiles, probePort, run, ssh } from "./machine";

const root = path.resolve(__dirname, "../..");

function startCli(args: string[]) {
  return spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "lab/cli.ts", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("lab CLI @host", () => {
  it("start prints the connection as JSON, serves SSH until SIGTERM, then leaves nothing behind", async () => {
    const cli = startCli(["start"]);
    const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
    let stderr = "";
    cli.stderr!.on("data", (chunk) => (stderr += chunk));
    const line = await new Promise<string>((resolve, reject) => {
      let text = "";
      cli.stdout!.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\n")) resolve(text.split("\n")[0]);
      });
      cli.once("exit", () => reject(new Error(`cli exited before printing: ${stderr}`)));
    });
    const printed = JSON.parse(line) as {
      name: string;
      connection: LabConnection;
      hostKeyFingerprint: string;
      ssh: string;
    };
    const files = clientFiles(printed.connection);
    try {
      const result = await ssh(printed.connection, files, "hostname && ovs-vsctl show >/dev/null && echo ovs-ok");
      assert.strictEqual(result.code, 0, result.stderr);
      assert.deepStrictEqual(result.stdout.trim().split("\n"), [printed.name, "ovs-ok"]);
      // The printed ssh command line works as printed.
      const viaPrinted = await run(["bash", "-c", `${printed.ssh} echo printed-ok`]);
      assert.strictEqual(viaPrinted.stdout.trim(), "printed-ok", viaPrinted.stderr);

      const dirs = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`${printed.name}-`));
      assert.strictEqual(dirs.length, 1);
      cli.kill("SIGTERM");
      assert.strictEqual(await exited, 0, stderr);
      assert.ok(!fs.existsSync(path.join(os.tmpdir(), dirs[0])), "the VM's temp dir must be gone");
      assert.strictEqual(await probePort(printed.connection.port), "ECONNREFUSED");
    } finally {
      files.remove();
      cli.kill("SIGKILL");
    }
  });

  it("rejects an unknown command with usage and exit code 2", async () => {
    const cli = startCli(["frobnicate"]);
    let stderr = "";
    cli.stderr!.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => cli.once("exit", resolve));
    assert.strictEqual(code, 2);
    assert.match(stderr, /usage: ovslab-lab start \[--name NAME\]/);
  });
});
