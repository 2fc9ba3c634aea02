import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { LabHost, startLabHost } from "../../lab";
import {
  clientFiles,
  executable,
  machineNetworkState,
  probePort,
  run,
  ssh,
  waitForProcEntriesGone,
} from "./machine";

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

describe("startLabHost @host", () => {
  let vm: LabHost;
  let files: ReturnType<typeof clientFiles>;

  before(async () => {
    vm = await startLabHost();
    files = clientFiles(vm.connection);
  });
  after(async () => {
    files?.remove();
    await vm?.stop();
  });

  it("accepts an SSH login that pins the VM's host key", async () => {
    const result = await ssh(vm.connection, files, "echo logged-in-as-$(id -un)");
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), "logged-in-as-root");
  });

  it("is refused by a client that expects another host key", async () => {
    const stranger = path.join(files.dir, "stranger");
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    const otherKey = fs.readFileSync(`${stranger}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
    const other = clientFiles(vm.connection, otherKey);
    try {
      const result = await ssh(vm.connection, other, "true");
      assert.notStrictEqual(result.code, 0);
      assert.match(result.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    } finally {
      other.remove();
    }
  });

  it("reports the host key fingerprint exactly as ssh-keygen -lf prints it", async () => {
    const keyFile = path.join(files.dir, "host.pub");
    fs.writeFileSync(keyFile, vm.connection.hostKey + "\n");
    const printed = (await run(["ssh-keygen", "-lf", keyFile])).stdout.split(" ")[1];
    assert.match(vm.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.strictEqual(vm.hostKeyFingerprint, printed);
  });

  it("puts the logging shims first on root's PATH over SSH", async () => {
    const result = await ssh(vm.connection, files, "command -v ovs-vsctl ovs-ofctl ip iptables-restore sysctl");
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(result.stdout.trim().split("\n"), [
      "/usr/local/sbin/ovs-vsctl",
      "/usr/local/sbin/ovs-ofctl",
      "/usr/local/sbin/ip",
      "/usr/local/sbin/iptables-restore",
      "/usr/local/sbin/sysctl",
    ]);
  });

  it("runs a private userspace OVS that answers plain ovs-vsctl and ovs-ofctl over SSH", async () => {
    const bridge = unique("br").slice(0, 15);
    const result = await ssh(
      vm.connection,
      files,
      `ovs-vsctl add-br ${bridge} -- set bridge ${bridge} datapath_type=netdev && ovs-vsctl show && ` +
        `ovs-ofctl --no-names dump-flows ${bridge}`,
    );
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Bridge ${bridge}\\n\\s+datapath_type: netdev`));
    assert.match(result.stdout, /actions=NORMAL/);
    const onMachine = await run(["ip", "link", "show", bridge]);
    assert.notStrictEqual(onMachine.code, 0, `${bridge} leaked into the machine's namespace`);
  });

  it("keeps network namespaces made inside invisible to the machine", async () => {
    const netns = unique("qrouter");
    const result = await ssh(vm.connection, files, `ip netns add ${netns} && ip netns list`);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^${netns}`, "m"));
    assert.ok(!(await machineNetworkState()).netns.some((line) => line.startsWith(netns)));
  });

  it("lets net sysctls and iptables change the VM only, and keeps other sysctls read-only", async () => {
    const chain = unique("OVSLAB-T").toUpperCase();
    const forwardBefore = fs.readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8");
    const result = await ssh(
      vm.connection,
      files,
      `sysctl -qw net.ipv4.ip_forward=1 && iptables -w -t nat -N ${chain} && iptables-save -t nat | grep -c ${chain}; ` +
        "sysctl -w vm.swappiness=$(sysctl -n vm.swappiness) 2>&1",
    );
    assert.match(result.stdout, /^1\n.*permission denied on key "vm\.swappiness"/s, result.stderr);
    assert.strictEqual((await vm.sh(["sysctl", "-n", "net.ipv4.ip_forward"])).trim(), "1");
    assert.strictEqual(fs.readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8"), forwardBefore);
    assert.doesNotMatch((await run(["iptables", "-w", "-t", "nat", "-S"])).stdout, new RegExp(chain));
  });

  it("records every shim command as its exact argv, oldest first", async () => {
    await vm.resetCommandLog();
    const result = await ssh(
      vm.connection,
      files,
      `ip -json link show lo >/dev/null && sysctl -n net.ipv4.ip_forward >/dev/null && ` +
        `ovs-vsctl --if-exists del-br 'a b"c' && ip netns exec nope true 2>/dev/null; true`,
    );
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(await vm.commandLog(), [
      ["ip", "-json", "link", "show", "lo"],
      ["sysctl", "-n", "net.ipv4.ip_forward"],
      ["ovs-vsctl", "--if-exists", "del-br", 'a b"c'],
      ["ip", "netns", "exec", "nope", "true"],
    ]);
  });

  it("keeps each logged line whole while shims append at once, lines over 4 KiB too", async () => {
    await vm.resetCommandLog();
    // Eight loops of long command lines (a joined OVSDB write can be one) beside a loop of short ones.
    const long = (j: number, i: number) => `k${j}.${i}.${"x".repeat(6000 + j)}`;
    const script =
      `for j in 1 2 3 4 5 6 7 8; do (for i in $(seq 20); do sysctl -q "k$j.$i.$(printf "%0$((6000 + j))d" 0 | ` +
      `tr 0 x)" 2>/dev/null; done) & done; (for i in $(seq 100); do sysctl -n kernel.ostype >/dev/null; done) & wait`;
    const result = await ssh(vm.connection, files, script);
    assert.strictEqual(result.code, 0, result.stderr);
    const log = await vm.commandLog();
    assert.strictEqual(log.filter((argv) => argv.join(" ") === "sysctl -n kernel.ostype").length, 100);
    for (let j = 1; j <= 8; j++)
      for (let i = 1; i <= 20; i++) assert.ok(log.some((argv) => argv[2] === long(j, i)), `missing k${j}.${i}`);
    assert.strictEqual(log.length, 260);
  });

  it("keeps commands run with exec out of the command log", async () => {
    await vm.resetCommandLog();
    await vm.sh(["ovs-vsctl", "show"]);
    await vm.sh(["ip", "link"]);
    assert.deepStrictEqual(await vm.commandLog(), []);
  });

  it("runs exec inside the VM's namespaces, feeding standard input", async () => {
    assert.strictEqual(await vm.sh(["hostname"]), `${vm.name}\n`);
    assert.strictEqual(await vm.sh(["cat"], "fed through stdin"), "fed through stdin");
    const links = await vm.sh(["ip", "-o", "link"]);
    assert.doesNotMatch(links, /\beth0\b/, "the VM must not see the machine's NIC");
  });

  it("makes sh throw an error naming the command, its exit code and stderr", async () => {
    await assert.rejects(vm.sh(["ip", "link", "show", "nope0"]), (error: Error) => {
      assert.match(error.message, new RegExp(`^lab host ${vm.name}: ip link show nope0 failed \\(exit 1\\): .*nope0`));
      return true;
    });
    const result = await vm.exec(["sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert.deepStrictEqual(result, { stdout: "out\n", stderr: "err\n", code: 3 });
  });

  it("counts accepted SSH logins", async () => {
    const before = await vm.sshLogins();
    assert.strictEqual((await ssh(vm.connection, files, "true")).code, 0);
    assert.strictEqual(await vm.sshLogins(), before + 1);
  });

  it("refuses connections after stopSsh and serves the same host key after startSsh", async () => {
    const bridge = unique("brk").slice(0, 15);
    await vm.sh(["ovs-vsctl", "add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev"]);
    await vm.stopSsh();
    assert.strictEqual(await probePort(vm.connection.port), "ECONNREFUSED");
    assert.notStrictEqual((await ssh(vm.connection, files, "true")).code, 0);
    await vm.startSsh();
    const result = await ssh(vm.connection, files, `ovs-vsctl br-exists ${bridge} && echo still-there`);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), "still-there", "OVS must survive an sshd restart");
  });

  it("cuts an SSH session in progress when sshd stops", async () => {
    const session = ssh(vm.connection, files, "echo started; sleep 60");
    await waitFor(async () => (await vm.exec(["pgrep", "-c", "-f", "^sleep 60$"])).stdout.trim() === "1");
    const started = Date.now();
    await vm.stopSsh();
    const result = await session;
    assert.notStrictEqual(result.code, 0);
    assert.ok(Date.now() - started < 5000, "the session should end at once");
    await vm.startSsh();
  });
});

describe("two lab hosts side by side @host", () => {
  it("run with their own ports, keys, OVS and namespaces, without clashes", async () => {
    const vms = await Promise.all([startLabHost(), startLabHost()]);
    const files = vms.map((vm) => clientFiles(vm.connection));
    try {
      assert.notStrictEqual(vms[0].name, vms[1].name);
      assert.notStrictEqual(vms[0].connection.port, vms[1].connection.port);
      assert.notStrictEqual(vms[0].hostKeyFingerprint, vms[1].hostKeyFingerprint);
      const script =
        "ovs-vsctl add-br br-int -- set bridge br-int datapath_type=netdev && ip netns add qrouter-x && " +
        "hostname && ovs-vsctl list-br && ip netns list";
      const results = await Promise.all(vms.map((vm, i) => ssh(vm.connection, files[i], script)));
      results.forEach((result, i) => {
        assert.strictEqual(result.code, 0, result.stderr);
        assert.deepStrictEqual(result.stdout.trim().split("\n"), [vms[i].name, "br-int", "qrouter-x"]);
      });
      // Each VM's key opens only that VM.
      const crossed = await ssh(vms[1].connection, { key: files[0].key, knownHosts: files[1].knownHosts }, "true");
      assert.notStrictEqual(crossed.code, 0);
    } finally {
      files.forEach((f) => f.remove());
      await Promise.all(vms.map((vm) => vm.stop()));
    }
  });
});

describe("LabHost.stop @host", () => {
  it("leaves no process, namespace, link, temp dir or listening port behind", async () => {
    const machineBefore = await machineNetworkState();
    const vm = await startLabHost();
    const files = clientFiles(vm.connection);
    try {
      // Give teardown real work: a bridge, a router namespace with a process in it, a live session.
      const started = await ssh(
        vm.connection,
        files,
        "ovs-vsctl add-br br-ex -- set bridge br-ex datapath_type=netdev && ip netns add qrouter-x && " +
          "(ip netns exec qrouter-x setsid sleep 600 </dev/null >/dev/null 2>&1 &) && echo ok",
      );
      assert.strictEqual(started.code, 0, started.stderr);
      const session = ssh(vm.connection, files, "sleep 600");
      await waitFor(async () => (await vm.exec(["pgrep", "-c", "-f", "^sleep 600$"])).stdout.trim() === "2");

      const pids = vm.processIds();
      const programs = pids.map(executable).map((exe) => path.basename(exe));
      for (const program of ["ovsdb-server", "ovs-vswitchd", "sshd", "socat", "sleep", "unshare"]) {
        assert.ok(programs.includes(program), `processIds() should include ${program}: ${programs.join(" ")}`);
      }
      const { dir } = vm;
      const { port } = vm.connection;
      assert.ok(fs.existsSync(dir));

      await vm.stop();

      assert.deepStrictEqual(await waitForProcEntriesGone(pids), [], "every process of the VM must be gone");
      assert.deepStrictEqual(vm.processIds(), []);
      assert.notStrictEqual((await session).code, 0, "the open session ends with the VM");
      assert.ok(!fs.existsSync(dir), `temp dir ${dir} must be removed`);
      assert.strictEqual(await probePort(port), "ECONNREFUSED");
      const machineAfter = await machineNetworkState();
      assert.deepStrictEqual(newItems(machineBefore.netns, machineAfter.netns), []);
      assert.deepStrictEqual(newItems(machineBefore.links, machineAfter.links), []);
      await vm.stop(); // idempotent
      await assert.rejects(vm.exec(["true"]), /exec after stop/);
    } finally {
      files.remove();
      await vm.stop();
    }
  });

  for (const [how, kill] of [
    ["exits without stopping it", "exit"],
    ["is killed with SIGKILL", "SIGKILL"],
  ] as const) {
    it(`cleans up when the process that started the VM ${how}`, async () => {
      const owner = spawn(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "-e", ownerScript(kill === "exit")],
        { cwd: path.resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] },
      );
      const line = await firstLine(owner.stdout!);
      const { pids, dir, port } = JSON.parse(line) as { pids: number[]; dir: string; port: number };
      assert.ok(pids.length >= 6, `expected the VM's processes, got ${pids.join(" ")}`);
      if (kill === "SIGKILL") owner.kill("SIGKILL");
      await new Promise((resolve) => owner.once("exit", resolve));

      const running = pids.filter((pid) => fs.existsSync(`/proc/${pid}`) && !isZombie(pid));
      const left = await waitForProcEntriesGoneOrZombie(running);
      assert.deepStrictEqual(left, [], "no VM process may outlive its owner");
      await waitFor(async () => !fs.existsSync(dir));
      assert.strictEqual(await probePort(port), "ECONNREFUSED");
    });
  }
});

function ownerScript(exitAtOnce: boolean): string {
  return `
    const { startLabHost } = require("./lab");
    startLabHost().then((vm) => {
      console.log(JSON.stringify({ pids: vm.processIds(), dir: vm.dir, port: vm.connection.port }));
      ${exitAtOnce ? "process.exit(0);" : "setInterval(() => {}, 1000);"}
    });`;
}

function newItems(before: string[], after: string[]): string[] {
  return after.filter((item) => !before.includes(item));
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z";
  } catch {
    return false;
  }
}

/**
 * When the owner dies, its direct children (the two unshare processes) are re-parented
 * to this machine's PID 1, which reaps late: an exited zombie counts as gone here.
 */
async function waitForProcEntriesGoneOrZombie(pids: number[]): Promise<number[]> {
  let left = pids;
  await waitFor(async () => {
    left = pids.filter((pid) => fs.existsSync(`/proc/${pid}`) && !isZombie(pid));
    return left.length === 0;
  }, 10_000).catch(() => undefined);
  return left;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.split("\n")[0]);
    });
    stream.on("end", () => reject(new Error(`no line before end of output: ${text}`)));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
