// The examples' mocks tests guard the examples: in a copy of examples/multi-tenant where one
// tenant's VLAN tag and one br-int flow are changed, the example's own test file (run by
// mocha in a separate process, against the copy) fails exactly where those show, and
// names the new values; the tests about what did not change still pass.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const EXAMPLE = "multi-tenant";

interface MochaJson {
  passes: Array<{ title: string }>;
  failures: Array<{ title: string; err: { message: string } }>;
}

function replaceOnce(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  assert.equal(text.split(from).length, 2, `${file} holds ${from} exactly once`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** mocha on one test file, as `npm test` runs it, results as JSON. */
function mocha(testFile: string, report: string): Promise<MochaJson> {
  const args = [
    path.join(REPO, "node_modules", "mocha", "bin", "mocha.js"), "--no-config",
    "--require", "ts-node/register/transpile-only", "--extension", "ts", "--node-option", "no-experimental-strip-types",
    "--timeout", "60000", "--reporter", "json", "--reporter-option", `output=${report}`, testFile,
  ];
  return new Promise((resolve, reject) => {
    execFile(path.join(REPO, "node_modules", ".bin", "node"), args, { cwd: REPO }, (error, _stdout, stderr) => {
      if (!fs.existsSync(report)) return reject(new Error(`mocha wrote no report (${error?.message}): ${stderr}`));
      resolve(JSON.parse(fs.readFileSync(report, "utf8")));
    });
  });
}

describe("an example's mocks test", function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    // Inside the checkout, so the program's `ovslab` resolves through its node_modules; the
    // same layout, so the copied test finds the copied example beside it.
    fs.mkdirSync(path.join(REPO, ".ovslab", "tmp"), { recursive: true });
    root = fs.mkdtempSync(path.join(REPO, ".ovslab", "tmp", "example-copy-"));
    fs.cpSync(path.join(REPO, "examples", EXAMPLE), path.join(root, "examples", EXAMPLE), { recursive: true });
    fs.mkdirSync(path.join(root, "tests", "examples"), { recursive: true });
    // Its imports of ovslab's own modules (`../../testing`), pointed back at the checkout.
    const test = fs.readFileSync(path.join(REPO, "tests", "examples", `${EXAMPLE}.test.ts`), "utf8");
    assert.ok(test.includes(`from "../../testing"`), "the example test imports ovslab/testing relatively");
    fs.writeFileSync(
      path.join(root, "tests", "examples", `${EXAMPLE}.test.ts`),
      test.replace(/from "\.\.\/\.\.\//g, `from "${REPO}/`),
    );
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("fails where a changed VLAN tag and a changed flow show, naming the new values, and passes elsewhere", async () => {
    const program = path.join(root, "examples", EXAMPLE, "index.ts");
    replaceOnce(program, `{ name: "b", vlan: 102,`, `{ name: "b", vlan: 112,`);
    replaceOnce(program, `actions: "drop" }`, `actions: "NORMAL" }`);
    const result = await mocha(
      path.join(root, "tests", "examples", `${EXAMPLE}.test.ts`),
      path.join(root, "report.json"),
    );

    const failed = Object.fromEntries(result.failures.map((f) => [f.title, f.err.message]));
    assert.deepEqual(Object.keys(failed).sort(), [
      "draws the picture its README shows (to redraw: ovslab graph examples/multi-tenant --out examples/multi-tenant/lab.svg)",
      "gives the router one gateway address per tenant subnet and the external address on br-ex",
      "keeps br-int secure and switches it with two flows: multicast sources dropped, the rest NORMAL",
      "puts each tenant's servers and its router port on the tenant's VLAN of br-int",
    ]);
    assert.match(failed["puts each tenant's servers and its router port on the tenant's VLAN of br-int"], /112/);
    assert.match(
      failed["keeps br-int secure and switches it with two flows: multicast sources dropped, the rest NORMAL"],
      /01:00:00:00:00:00 -> NORMAL/,
    );
    assert.equal(result.passes.length, 3, "the tests about what did not change pass on the copy");
  });
});
