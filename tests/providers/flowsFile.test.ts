import { strict as assert } from "assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { asFlowsFile, FlowsFileError, withFlowsFile } from "../../providers/flowsFile";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("a FlowTable's rules given as a file (flowsFile)", () => {
  let dir: string;
  let cwd: string;
  const flows = [{ priority: 5, actions: "NORMAL" }, { table: 1, actions: "drop" }];
  const text = JSON.stringify(flows);

  before(() => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-flowsfile-"));
    fs.writeFileSync(path.join(dir, "flows.json"), text);
    fs.writeFileSync(path.join(dir, "broken.json"), "[{");
    process.chdir(dir); // the path is relative to the directory the program (and provider) runs in
  });

  after(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads the file's rules into flows, keeping the path and the content's digest aside", () => {
    const { spec, from } = withFlowsFile({ bridge: "br-int", flowsFile: "flows.json", flowsSha256: sha(text) });
    assert.deepEqual(spec, { bridge: "br-int", flows });
    assert.deepEqual(from, { file: "flows.json", sha256: sha(text) });
  });

  it("leaves a spec without flowsFile as it is", () => {
    const spec = { bridge: "br-int", flows };
    assert.equal(withFlowsFile(spec).spec, spec);
  });

  it("refuses a file whose content is not what the digest says, unless asked for the file as it is now", () => {
    const stale = { bridge: "br-int", flowsFile: "flows.json", flowsSha256: "0".repeat(64) };
    assert.throws(
      () => withFlowsFile(stale),
      /flowsFile: "flows.json" does not match flowsSha256 \(000000000000\.\.\./,
    );
    assert.deepEqual(withFlowsFile(stale, "current").spec.flows, flows);
  });

  it("names the file and the directory when it cannot be read, and says when it is not JSON", () => {
    assert.throws(
      () => withFlowsFile({ flowsFile: "missing.json" }),
      (e: unknown) =>
        e instanceof FlowsFileError && e.message.includes(`cannot read "missing.json" (in ${dir}): ENOENT`),
    );
    assert.throws(() => withFlowsFile({ flowsFile: "broken.json" }), /flowsFile: "broken.json" is not JSON/);
  });

  it("refuses rules given both inline and as a file", () => {
    assert.throws(
      () => withFlowsFile({ flowsFile: "flows.json", flows }),
      /give the rules as flows or as flowsFile, not both/,
    );
  });

  it("puts the file and its digest back in place of the rules, another digest when the rules found differ", () => {
    const from = { file: "flows.json", sha256: sha(text) };
    assert.deepEqual(asFlowsFile({ bridge: "br-int", flows }, from, flows), {
      bridge: "br-int",
      flowsFile: "flows.json",
      flowsSha256: sha(text),
    });
    const drifted = asFlowsFile({ bridge: "br-int", flows: flows.slice(1) }, from, flows);
    assert.equal(drifted.flows, undefined);
    assert.match(String(drifted.flowsSha256), /^[0-9a-f]{64}$/);
    assert.notEqual(drifted.flowsSha256, sha(text));
  });
});
