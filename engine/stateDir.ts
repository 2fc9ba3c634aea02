// A state directory of ours: the file:// backend, PULUMI_HOME and the passphrase that
// encrypts the stack's secrets, so nothing touches the user's ~/.pulumi. The passphrase
// is generated once and kept (losing it loses the stack's secrets), readable by the owner only.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

export interface StateDir {
  dir: string;
  /** `file:///...` URL of the backend directory. */
  backendUrl: string;
  backendDir: string;
  pulumiHome: string;
  /** Holds the passphrase; handed to the CLI as PULUMI_CONFIG_PASSPHRASE_FILE. */
  passphraseFile: string;
}

/** Creates (or reopens) a state directory; creating it twice is harmless. */
export function openStateDir(dir: string): StateDir {
  const root = path.resolve(dir);
  const backendDir = path.join(root, "backend");
  const pulumiHome = path.join(root, "pulumi-home");
  for (const d of [root, backendDir, pulumiHome]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const passphraseFile = path.join(root, "passphrase");
  try {
    fs.writeFileSync(passphraseFile, randomBytes(24).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return { dir: root, backendUrl: pathToFileURL(backendDir).href, backendDir, pulumiHome, passphraseFile };
}
