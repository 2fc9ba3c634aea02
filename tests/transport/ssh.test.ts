import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConnectionArgs } from "../../transport/connection";
import { SshTransport, SshTransportOptions } from "../../transport/ssh";
import { readableKeyPair, startTestSshd, TestSshd } from "./sshd";

const fast: SshTransportOptions = { retryDelayMs: () => 20 };

describe("SshTransport against an in-process sshd", () => {
  let sshd: TestSshd;
  let dir: string;
  const open: SshTransport[] = [];

  before(async () => {
    sshd = await startTestSshd();
    dir = mkdtempSync(join(tmpdir(), "ovslab-ssh-test-"));
  });
  after(async () => {
    await sshd.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  function base(extra: Partial<ConnectionArgs> = {}): ConnectionArgs {
    return { host: "127.0.0.1", port: sshd.port, privateKey: sshd.clientKey, hostKey: sshd.hostKey, ...extra };
  }
  function transport(extra: Partial<ConnectionArgs> = {}, options: SshTransportOptions = fast): SshTransport {
    const t = new SshTransport(base(extra), options);
    open.push(t);
    return t;
  }
  async function failure(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (err) {
      return err as Error;
    }
    throw new Error("expected a rejection");
  }

  describe("running commands", () => {
    it("returns stdout, stderr and the exit status, output without a trailing newline intact", async () => {
      const t = transport();
      const r = await t.run({ argv: ["sh", "-c", "printf 'out'; printf 'err' >&2; exit 3"] });
      assert.deepEqual(r, { stdout: "out", stderr: "err", code: 3 });
    });

    it("feeds stdin through a quoted heredoc, even when it holds the heredoc delimiter and $(...)", async () => {
      const t = transport();
      const stdin = "add table=0,actions=drop\nOVSLAB_EOF\n$(touch /tmp/never) `id` 'q' \"d\"\nno newline at end";
      const r = await t.run({ argv: ["cat"], stdin });
      assert.equal(r.stdout, stdin + "\n");
    });

    it("passes every argv word through as one inert argument", async () => {
      const t = transport();
      const words = ["a b", "x;rm -rf /", "$HOME", "'\"", "*", ""];
      const r = await t.run({ argv: ["printf", "[%s]", ...words] });
      assert.equal(r.stdout, words.map((w) => `[${w}]`).join(""));
    });

    it("passes output that looks like our marker through untouched", async () => {
      const t = transport();
      const fake = "__ovslab_000000000000000000000000__0\n__ovslab_";
      const r = await t.run({ argv: ["printf", "%s", fake] });
      assert.equal(r.stdout, fake);
      assert.equal((await t.run({ argv: ["echo", "next"] })).stdout, "next\n");
    });

    it("carries control bytes, NUL and multi-byte UTF-8 intact", async () => {
      const t = transport();
      const r = await t.run({ argv: ["printf", "a\\000b\\001\\033[0m é→😀"] });
      assert.equal(r.stdout, "a\u0000b\u0001\u001b[0m é→😀");
    });

    it("returns 1 MB of output and takes 1 MB of input", async () => {
      const t = transport();
      const big = await t.run({ argv: ["sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x"] });
      assert.equal(big.stdout.length, 1048576);
      assert.ok(/^x+$/.test(big.stdout));
      const input = ("y".repeat(1023) + "\n").repeat(1024);
      const counted = await t.run({ argv: ["wc", "-c"], stdin: input });
      assert.equal(counted.stdout.trim(), String(input.length));
    });

    it("reports a missing command as exit 127 and a killed one as 128 + signal", async () => {
      const t = transport();
      assert.equal((await t.run({ argv: ["no-such-command-ovslab"] })).code, 127);
      assert.equal((await t.run({ argv: ["sh", "-c", "kill -9 $$"] })).code, 137);
    });

    it("keeps builtins like exit and cd from changing the shell that later commands use", async () => {
      const t = transport();
      assert.equal((await t.run({ argv: ["exit", "5"] })).code, 5);
      await t.run({ argv: ["cd", "/tmp"] });
      assert.notEqual((await t.run({ argv: ["pwd"] })).stdout, "/tmp\n");
      assert.equal(t.stats().channelsOpened, 1);
    });

    it("keeps a command from reading the commands queued behind it", async () => {
      const t = transport();
      const [first, second] = await Promise.all([t.run({ argv: ["cat"] }), t.run({ argv: ["echo", "second"] })]);
      assert.equal(first.stdout, "");
      assert.equal(second.stdout, "second\n");
    });

    it("opens one connection and one channel for many sequential commands", async () => {
      const t = transport();
      for (let i = 0; i < 50; i++) assert.equal((await t.run({ argv: ["echo", String(i)] })).stdout, `${i}\n`);
      assert.deepEqual(t.stats(), { connectionsOpened: 1, channelsOpened: 1, commandsRun: 50 });
    });

    it("costs a few milliseconds per command at most once connected", async () => {
      const t = transport();
      await t.run({ argv: ["true"] });
      const start = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) await t.run({ argv: ["true"] });
      const perCommandMs = Number(process.hrtime.bigint() - start) / 1e6 / 100;
      assert.ok(perCommandMs < 5, `per command ${perCommandMs.toFixed(2)} ms`);
    });

    it("runs commands in parallel on up to maxChannels shells, each getting its own output", async () => {
      const t = transport({}, { ...fast, maxChannels: 4 });
      const start = Date.now();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.run({ argv: ["sh", "-c", `sleep 0.4; echo ${i}; echo e${i} >&2`] })),
      );
      const elapsed = Date.now() - start;
      results.forEach((r, i) => assert.deepEqual(r, { stdout: `${i}\n`, stderr: `e${i}\n`, code: 0 }));
      assert.equal(t.stats().channelsOpened, 4);
      assert.ok(elapsed >= 800 && elapsed < 1600, `8 x 0.4 s on 4 channels took ${elapsed} ms`);
    });

    it("starts the shell with sudo -n for a user other than root", async () => {
      const t = transport({ user: "lab" });
      sshd.execs.length = 0;
      assert.equal((await t.run({ argv: ["echo", "ok"] })).stdout, "ok\n");
      assert.deepEqual(sshd.execs, ["sudo -n sh"]);
    });
  });

  describe("timeouts and lost connections", () => {
    it("fails a command that runs too long, then runs the next one on a fresh channel", async () => {
      const t = transport();
      await t.run({ argv: ["true"] });
      const err = await failure(t.run({ argv: ["sleep", "5"] }, { timeoutMs: 300 }));
      assert.match(err.message, /^ssh root@127\.0\.0\.1:\d+: sleep 5 timed out after 0\.3 s; its channel was closed/);
      assert.equal((await t.run({ argv: ["echo", "after"] })).stdout, "after\n");
      assert.deepEqual(t.stats(), { connectionsOpened: 1, channelsOpened: 2, commandsRun: 2 });
    });

    it("fails the running command naming host and command when the connection drops, and reconnects for the next", async () => {
      const t = transport();
      await t.run({ argv: ["true"] });
      const running = t.run({ argv: ["sleep", "5"] });
      setTimeout(() => sshd.cutAll(), 200);
      const err = await failure(running);
      assert.match(err.message, new RegExp(`^ssh root@127\\.0\\.0\\.1:${sshd.port}: connection lost while running sleep 5`));
      assert.equal((await t.run({ argv: ["echo", "back"] })).stdout, "back\n");
      assert.equal(t.stats().connectionsOpened, 2);
    });

    it("sends commands that were still queued when the connection dropped over the next connection", async () => {
      const t = transport({}, { ...fast, maxChannels: 1 });
      await t.run({ argv: ["true"] });
      const running = t.run({ argv: ["sleep", "5"] });
      const queued = t.run({ argv: ["echo", "queued"] });
      setTimeout(() => sshd.cutAll(), 200);
      await assert.rejects(running, /connection lost while running sleep 5/);
      assert.equal((await queued).stdout, "queued\n");
    });

    it("says the remote shell ended, with its stderr, when it cannot start", async () => {
      const plain = await startTestSshd({ emulateSudo: false }); // no sudo here: `sudo -n sh` fails
      try {
        const t = transport({ port: plain.port, hostKey: plain.hostKey, privateKey: plain.clientKey, user: "lab" });
        const err = await failure(t.run({ argv: ["true"] }));
        assert.match(err.message, /^ssh lab@127\.0\.0\.1:\d+: remote shell `sudo -n sh` ended \(exit 127\) while running true: .*sudo.*not found/);
      } finally {
        await plain.close();
      }
    });

    it("rejects run after close", async () => {
      const t = transport();
      await t.run({ argv: ["true"] });
      await t.close();
      await assert.rejects(t.run({ argv: ["true"] }), /transport is closed/);
    });
  });

  describe("connecting", () => {
    async function freePort(): Promise<number> {
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as net.AddressInfo).port;
      await new Promise<void>((r) => server.close(() => r()));
      return port;
    }

    it("retries a refused connection up to dialErrorLimit, then says how often it tried", async () => {
      const port = await freePort();
      const t = transport({ port, dialErrorLimit: 3 });
      const err = await failure(t.run({ argv: ["true"] }));
      assert.match(err.message, new RegExp(`^ssh root@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\(gave up after 3 attempts\\)$`));
    });

    it("gives each dial attempt perDialTimeout seconds against a host that never answers", async () => {
      const silent = net.createServer(() => undefined); // accepts TCP, never speaks SSH
      const sockets: net.Socket[] = [];
      silent.on("connection", (s) => sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
      const port = (silent.address() as net.AddressInfo).port;
      try {
        const start = Date.now();
        const err = await failure(transport({ port, perDialTimeout: 0.3, dialErrorLimit: 2 }).run({ argv: ["true"] }));
        assert.match(err.message, new RegExp(`^ssh root@127\\.0\\.0\\.1:${port}: dial timed out after 0\\.3 s \\(gave up after 2 attempts\\)$`));
        assert.equal(sockets.length, 2);
        assert.ok(Date.now() - start < 2000);
      } finally {
        sockets.forEach((s) => s.destroy());
        await new Promise<void>((r) => silent.close(() => r()));
      }
    });

    it("connects to a host whose sshd comes up while we retry", async () => {
      const port = await freePort();
      let late: TestSshd | undefined;
      setTimeout(async () => {
        late = await startTestSshd({ port });
      }, 250);
      try {
        // The late server has its own keys: skip the check, this test is about retrying.
        const t = transport({ port, skipHostKeyCheck: true, hostKey: undefined, privateKey: undefined, password: sshd.password }, { retryDelayMs: () => 100, warn: () => undefined });
        assert.equal((await t.run({ argv: ["echo", "up"] })).stdout, "up\n");
        assert.ok(late!.connections >= 1);
      } finally {
        await late?.close();
      }
    });

    it("does not retry a wrong password, and keeps the password out of the error", async () => {
      const before = sshd.connections;
      const password = "wrong-" + randomBytes(8).toString("hex");
      const t = transport({ privateKey: undefined, password, dialErrorLimit: 5 });
      const err = await failure(t.run({ argv: ["true"] }));
      assert.match(err.message, /^ssh root@127\.0\.0\.1:\d+: login as root refused \(tried (agent, )?password\)$/);
      assert.ok(!err.message.includes(password) && !String(err.stack).includes(password));
      assert.equal(sshd.connections - before, 1);
    });

    it("keeps a bogus private key out of the error", async () => {
      const body = "c2VjcmV0LWJvZ3VzLWtleS1ib2R5LTEyMzQ1Njc4OTA" + randomBytes(12).toString("hex");
      const privateKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
      const err = await failure(transport({ privateKey }).run({ argv: ["true"] }));
      assert.match(err.message, /^ssh root@127\.0\.0\.1:\d+: privateKey: cannot read it \(Unsupported OpenSSH key magic\); expected an OpenSSH or PEM private key, e\.g\. the contents of ~\/\.ssh\/id_ed25519$/);
      assert.ok(!err.message.includes(body) && !String(err.stack).includes(body));
      // ssh2 quotes the decoded bytes it could not read; none reach the message.
      const decoded = Buffer.from(body, "base64").toString("latin1").slice(0, 15);
      assert.ok(!err.message.includes(decoded), err.message);
    });

    it("keeps the passphrase and the key out of the error when the passphrase is wrong", async () => {
      const pair = readableKeyPair({ passphrase: "right-passphrase-42", cipher: "aes256-ctr", rounds: 16 });
      const wrong = "wrong-passphrase-" + randomBytes(6).toString("hex");
      const err = await failure(transport({ privateKey: pair.private, privateKeyPassword: wrong }).run({ argv: ["true"] }));
      assert.match(err.message, /^ssh root@127\.0\.0\.1:\d+: /);
      const keyLines = pair.private.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
      for (const secret of [wrong, ...keyLines]) assert.ok(!String(err.stack).includes(secret), `error holds a secret: ${err.message}`);
    });

    it("tries the private key before the password, as pulumi-command does", async () => {
      sshd.auths.length = 0;
      const t = transport({ password: "wrong-and-never-needed" });
      await t.run({ argv: ["true"] });
      assert.equal(sshd.auths[0], "publickey");
      assert.ok(!sshd.auths.includes("password"));
    });

    it("refuses to dial without any credential, saying which fields give one", async () => {
      const saved = process.env.SSH_AUTH_SOCK;
      delete process.env.SSH_AUTH_SOCK;
      try {
        const err = await failure(transport({ privateKey: undefined }).run({ argv: ["true"] }));
        assert.match(err.message, /^ssh root@127\.0\.0\.1:\d+: no credentials: set privateKey, password or agentSocketPath/);
      } finally {
        if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
      }
    });

    it("logs in with a password", async () => {
      const t = transport({ privateKey: undefined, password: sshd.password });
      assert.equal((await t.run({ argv: ["echo", "pw"] })).stdout, "pw\n");
    });
  });

  describe("host key verification", () => {
    const name = () => `[127.0.0.1]:${sshd.port}`;
    function knownHosts(text: string): string {
      const file = join(dir, `known_hosts_${randomBytes(4).toString("hex")}`);
      writeFileSync(file, text);
      return file;
    }

    it("accepts the host key pinned as a fingerprint", async () => {
      const t = transport({ hostKey: sshd.hostKeyFingerprint });
      assert.equal((await t.run({ argv: ["echo", "ok"] })).stdout, "ok\n");
    });

    it("refuses a host whose key is not the pinned one, without retrying", async () => {
      const before = sshd.connections;
      const other = readableKeyPair().public;
      const err = await failure(transport({ hostKey: other }).run({ argv: ["true"] }));
      assert.match(err.message, new RegExp(`host key ${sshd.hostKeyFingerprint.replace(/[+/]/g, "\\$&")} \\(ssh-ed25519\\) does not match the pinned hostKey`));
      assert.equal(sshd.connections - before, 1);
    });

    it("accepts a host listed in known_hosts as [host]:port, plain or hashed", async () => {
      const salt = randomBytes(20);
      const hashed = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name()).digest("base64")}`;
      for (const line of [`${name()} ${sshd.hostKey}`, `${hashed} ${sshd.hostKey}`]) {
        const t = transport({ hostKey: undefined, knownHostsPath: knownHosts(`lab9 ${sshd.hostKey}\n${line}\n`) });
        assert.equal((await t.run({ argv: ["echo", "ok"] })).stdout, "ok\n");
      }
    });

    it("refuses a host that known_hosts lists with another key and says how to remove the entry", async () => {
      const other = readableKeyPair().public;
      const path = knownHosts(`${name()} ${other}\n`);
      const err = await failure(transport({ hostKey: undefined, knownHostsPath: path }).run({ argv: ["true"] }));
      assert.ok(err.message.includes(`does not match the key for ${name()} in ${path} line 1`), err.message);
      assert.ok(err.message.includes(`ssh-keygen -R '${name()}' -f ${path}`), err.message);
    });

    it("refuses an unknown host and says how to pin it or to opt out", async () => {
      const path = join(dir, "no-such-known-hosts");
      const err = await failure(transport({ hostKey: undefined, knownHostsPath: path }).run({ argv: ["true"] }));
      assert.ok(err.message.includes(`is not trusted: no hostKey is pinned and ${path} has no entry for ${name()}`), err.message);
      assert.ok(err.message.includes(`hostKey: "${sshd.hostKeyFingerprint}"`), err.message);
      assert.ok(err.message.includes("skipHostKeyCheck: true"), err.message);
    });

    it("connects with skipHostKeyCheck and warns once, also across reconnects", async () => {
      const warnings: string[] = [];
      const t = transport({ hostKey: undefined, knownHostsPath: join(dir, "none"), skipHostKeyCheck: true }, { ...fast, warn: (m) => warnings.push(m) });
      await t.run({ argv: ["true"] });
      sshd.cutAll();
      await new Promise((r) => setTimeout(r, 50));
      await t.run({ argv: ["true"] });
      assert.equal(t.stats().connectionsOpened, 2);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /WARNING: host key SHA256:\S+ accepted WITHOUT verification \(skipHostKeyCheck: true\)/);
    });
  });

  describe("process lifetime", () => {
    it("lets the process exit while the connection is open and idle", async () => {
      const script = `
        const { SshTransport } = require(${JSON.stringify(resolve(__dirname, "../../transport/ssh"))});
        const t = new SshTransport(${JSON.stringify(base())});
        t.run({ argv: ["echo", "child-ok"] }).then((r) => console.log(r.stdout.trim(), JSON.stringify(t.stats())));
      `;
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (b) => (out += b));
      const code = await new Promise<number | string>((done) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          done("still running after 15 s");
        }, 15_000);
        child.on("exit", (c) => {
          clearTimeout(timer);
          done(c ?? -1);
        });
      });
      assert.equal(code, 0);
      assert.match(out, /^child-ok \{"connectionsOpened":1,"channelsOpened":1,"commandsRun":1\}/);
    });
  });
});
