import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStateDir } from "../../engine/stateDir";
import { engineEnv, shellSetup } from "../../engine/env";
import { EngineTools } from "../../engine/tools";

describe("engine state directory and environment", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-state-test-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("generates a passphrase once, readable by its owner only, and keeps it", () => {
    const first = openStateDir(path.join(dir, "s"));
    const passphrase = fs.readFileSync(first.passphraseFile, "utf8");
    assert.ok(passphrase.trim().length >= 32);
    assert.equal(fs.statSync(first.passphraseFile).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(openStateDir(path.join(dir, "s")).passphraseFile, "utf8"), passphrase);
    assert.equal(first.backendUrl, `file://${path.join(dir, "s", "backend")}`);
  });

  it("puts our tools first on PATH and keeps everything of Pulumi's in the state directory", () => {
    const state = openStateDir(path.join(dir, "s"));
    const tools: EngineTools = {
      repo: "/r",
      pulumiBin: "/c/bin",
      node: "/r/nm/.bin/node",
      pathPrefix: ["/r/nm/.bin", "/c/bin"],
    };
    const env = engineEnv(state, tools, { PATH: "/usr/bin" });
    assert.equal(env.PATH, "/r/nm/.bin:/c/bin:/usr/bin");
    assert.equal(env.PULUMI_HOME, state.pulumiHome);
    assert.equal(env.PULUMI_CONFIG_PASSPHRASE_FILE, state.passphraseFile);
    assert.equal(env.PULUMI_SKIP_UPDATE_CHECK, "true");
    assert.ok(
      !Object.values(env).includes(fs.readFileSync(state.passphraseFile, "utf8").trim()),
      "the passphrase itself is never in the environment",
    );
    assert.equal(shellSetup(state, tools)[0], 'export PATH=/r/nm/.bin:/c/bin:"$PATH"');
  });
});
