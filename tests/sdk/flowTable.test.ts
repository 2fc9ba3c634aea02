import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FlowTable } from "../../sdk/flowTable";
import { ValidationError } from "../../core/validation";
import { outputOf, recordRegistrations } from "../support/mocks";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const connection = { host: "10.0.0.5", hostKey: "SHA256:abc" };

describe("FlowTable under Pulumi mocks", () => {
  const registered = recordRegistrations();

  it("registers ovslab:FlowTable with all its flows", async () => {
    const flows = [{ priority: 1, actions: "NORMAL" }, { priority: 2, match: "in_port=int-br-ex", actions: "drop" }];
    const table = new FlowTable("int-flows", { bridge: "br-int", flows, connection });
    assert.deepEqual(await outputOf(table.flows), flows);
    const args = registered.find((r) => r.name === "int-flows")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/ovslab:FlowTable");
    assert.equal(args.inputs.owner, "lab/dev/FlowTable/int-flows");
  });

  it("rejects two flows OVS would hold as one, naming the index", () => {
    assert.throws(
      () => new FlowTable("dup", { bridge: "br-int", flows: [{ actions: "NORMAL" }, { actions: "drop" }], connection }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message.includes("flows[1]: has the same table, priority and match as flows[0]"),
    );
  });

  describe("with its rules in a file (flowsFile)", () => {
    let dir: string;
    const text = JSON.stringify([
      { priority: 1, actions: "NORMAL" },
      { priority: 2, match: "ip,nw_dst=10.0.0.300", actions: "drop" },
    ]);

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovslab-sdk-flows-"));
      fs.writeFileSync(path.join(dir, "good.json"), JSON.stringify([{ priority: 1, actions: "NORMAL" }]));
      fs.writeFileSync(path.join(dir, "bad.json"), text);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("registers the file and its content's digest, not the rules", async () => {
      const file = path.join(dir, "good.json");
      const table = new FlowTable("from-file", { bridge: "br-int", flowsFile: file, connection });
      assert.equal(await outputOf(table.flowsFile), file);
      const inputs = registered.find((r) => r.name === "from-file")!.inputs;
      assert.equal(inputs.flowsFile, file);
      assert.equal(inputs.flowsSha256, createHash("sha256").update(fs.readFileSync(file)).digest("hex"));
      assert.equal(inputs.flows, undefined);
    });

    it("rejects a bad rule in the file at the line that declared the table, naming the file, index and field", () => {
      assert.throws(
        () => new FlowTable("bad-file", { bridge: "br-int", flowsFile: path.join(dir, "bad.json"), connection }),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message.includes(`FlowTable "bad-file" (flowsFile ${JSON.stringify(path.join(dir, "bad.json"))})`) &&
          /flows\[1\]\.match: .*10\.0\.0\.300/.test(e.message),
      );
    });

    it("rejects a file it cannot read, naming it", () => {
      assert.throws(
        () => new FlowTable("no-file", { bridge: "br-int", flowsFile: "no-such-flows.json", connection }),
        (e: unknown) => e instanceof ValidationError && /flowsFile: cannot read "no-such-flows.json"/.test(e.message),
      );
    });
  });
});
