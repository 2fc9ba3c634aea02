// SSH keys for a lab VM, made by the system's ssh-keygen (the format sshd and every
// client read without surprises).
import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import { promisify } from "util";

const run = promisify(execFile);

export interface KeyPair {
  /** File holding the OpenSSH private key (mode 0600, as ssh and sshd require). */
  privateKeyPath: string;
  privateKey: string;
  /** `ssh-ed25519 AAAA...`, without a comment. */
  publicKey: string;
}

/** Makes an ed25519 key pair without passphrase at `path` (and `path`.pub). */
export async function generateKey(path: string, comment: string): Promise<KeyPair> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
  const [type, blob] = fs.readFileSync(`${path}.pub`, "utf8").trim().split(/\s+/);
  return { privateKeyPath: path, privateKey: fs.readFileSync(path, "utf8"), publicKey: `${type} ${blob}` };
}

/** `SHA256:...` of a public key line, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1], "base64");
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}
