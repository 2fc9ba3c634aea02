import { strict as assert } from "node:assert";
import { createHmac, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  fingerprint,
  keyType,
  knownHostKeyTypes,
  knownHostsName,
  matchKnownHosts,
  parseHostKeyPin,
  pinMatches,
} from "../../transport/hostkeys";
import { readableKeyPair } from "./sshd";

const key = readableKeyPair().public;
const other = readableKeyPair().public;
const blob = (line: string) => Buffer.from(line.split(" ")[1]!, "base64");

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

describe("fingerprint", () => {
  it("prints what ssh-keygen -lf prints", () => {
    const dir = mkdtempSync(join(tmpdir(), "ovslab-fp-"));
    try {
      const file = join(dir, "k.pub");
      require("node:fs").writeFileSync(file, key + "\n");
      const printed = execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).split(" ")[1];
      assert.equal(fingerprint(blob(key)), printed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the key type from the blob", () => {
    assert.equal(keyType(blob(key)), "ssh-ed25519");
  });
});

describe("parseHostKeyPin", () => {
  it("matches a key line and a fingerprint of the same key, and nothing else", () => {
    for (const pin of [key + " host@lab", fingerprint(blob(key))]) {
      assert.ok(pinMatches(parseHostKeyPin(pin), blob(key)));
      assert.ok(!pinMatches(parseHostKeyPin(pin), blob(other)));
    }
  });
});

describe("matchKnownHosts", () => {
  const name = knownHostsName("127.0.0.1", 2222);

  it("names a non-22 port host in brackets", () => {
    assert.equal(name, "[127.0.0.1]:2222");
    assert.equal(knownHostsName("lab1", 22), "lab1");
  });

  it("finds a plain entry in a comma list", () => {
    assert.deepEqual(matchKnownHosts(`# comment\nlab9 ${other}\nlab1,${name} ${key}\n`, name, blob(key)), {
      status: "match",
    });
  });

  it("finds a hashed entry", () => {
    assert.deepEqual(matchKnownHosts(`${hashed(name)} ${key}\n`, name, blob(key)), { status: "match" });
  });

  it("finds an entry written by ssh-keygen -H", () => {
    const dir = mkdtempSync(join(tmpdir(), "ovslab-kh-"));
    try {
      const file = join(dir, "known_hosts");
      require("node:fs").writeFileSync(file, `${name} ${key}\n`);
      execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
      const text = readFileSync(file, "utf8");
      assert.match(text, /^\|1\|/);
      assert.deepEqual(matchKnownHosts(text, name, blob(key)), { status: "match" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not take the port-22 entry for another port", () => {
    assert.deepEqual(matchKnownHosts(`127.0.0.1 ${key}\n`, name, blob(key)), { status: "unknown" });
  });

  it("reports a different key for a known host as a mismatch with its line", () => {
    assert.deepEqual(matchKnownHosts(`x ${key}\n${name} ${other}\n`, name, blob(key)), { status: "mismatch", line: 2 });
  });

  it("honours wildcards and negations", () => {
    assert.deepEqual(matchKnownHosts(`lab* ${key}\n`, "lab7", blob(key)), { status: "match" });
    assert.deepEqual(matchKnownHosts(`lab*,!lab7 ${key}\n`, "lab7", blob(key)), { status: "unknown" });
  });

  it("refuses a revoked key even when another line trusts it", () => {
    assert.deepEqual(matchKnownHosts(`${name} ${key}\n@revoked * ${key}\n`, name, blob(key)), {
      status: "revoked",
      line: 2,
    });
  });

  it("lists the key types known for a host", () => {
    assert.deepEqual(knownHostKeyTypes(`${name} ${key}\nother ssh-rsa AAAA\n`, name), ["ssh-ed25519"]);
  });
});
