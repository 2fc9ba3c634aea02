// OvslabResource's validation as a user meets it: mistakes through the real engine
// (`pulumi preview`, and `up` for case shared, of tests/fixtures/mistakes, one stack per case, all at once), asserting
// the whole message a user sees, once, without a stack trace.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { CliStack } from "../../engine/cliStack";
import { PulumiRun } from "../../engine/run";
import { StateDir } from "../../engine/stateDir";
import { repoRoot } from "../../engine/tools";
import { removeState, scratchState } from "../engine/support";

const PROGRAM = path.join(repoRoot(), "tests", "fixtures", "mistakes");

/** What a user reads: the diagnostics of the run, engine decorations and blank lines left out. */
function diagnostics(run: PulumiRun): string {
  const text = `${run.stdout}\n${run.stderr}`;
  const start = text.indexOf("Diagnostics:");
  return start < 0 ? text : text.slice(start);
}

/** The error blocks of a run: each `error:` line with the lines indented under it. */
function errorBlocks(run: PulumiRun): string[][] {
  const blocks: string[][] = [];
  let indent = -1;
  for (const l of diagnostics(run).split("\n")) {
    if (/^\s+error: /.test(l)) {
      indent = l.indexOf("error:");
      blocks.push([l.trim()]);
    } else if (indent >= 0 && l.trim() && l.length - l.trimStart().length > indent) {
      blocks[blocks.length - 1].push(l.trim());
    } else indent = -1;
  }
  return blocks;
}

/** The first error block of a run. */
const errorBlock = (run: PulumiRun): string[] => errorBlocks(run)[0] ?? [];

// Each case: the resource, then one line per mistake: its path, the rule, what was given
// (escaped, cut at 80 characters), and the field it likely meant.
const EXPECTED: Record<string, string[]> = {
  bridge: [
    'error: invalid Bridge "br-int":',
    "externalIds.constructor: keys may not be __proto__, constructor, prototype (JavaScript's own names)",
    'name: must be 1-15 bytes (a Linux interface name), got "br-integration-main" (19 bytes)',
    'datapathType: must be one of system, netdev, got "kernel"',
    'protocols[0]: must be one of OpenFlow10, OpenFlow11, OpenFlow12, OpenFlow13, OpenFlow14, OpenFlow15, got "OpenFlow1.3"',
    `externalIds.owner: values may be at most 4096 characters, got "${"x".repeat(80)}…" (200000 characters)`,
    "ports[0].tag: must be 0-4095, got 5000",
    "ports[1].name: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-', got \"eth0\\n\\u0001\"",
    'ports[2].type: must be one of system, internal, patch, vxlan, gre, geneve, tap, got "veth"',
    "ports[3].trunks[1]: must be 0-4095, got 4096",
    "ports[4].vlanmode: unknown field; did you mean vlanMode?",
    "failmode: unknown field; did you mean failMode?",
    'ports[5].name: duplicates port "vm1"',
  ],
  flows: [
    'error: invalid FlowTable "acl":',
    "flows[0].priority: must be 0-65535, got 70000",
    'flows[1].actions: unknown action "dorp" (did you mean "drop"?); to send to a port of that name, write output:dorp',
    'flows[2].match: nw_src needs ip or arp first (e.g. "ip,nw_src=10.0.0.0/8"); OVS would silently ignore it, got "nw_src=10.0.0.0/8"',
    'flows[3].match: dl_vlan=5000: must be 0-4095 (or 0xffff for frames without a VLAN header), got "dl_vlan=5000"',
    'flows[4].actions: contains ";"; only letters, digits, spaces and _ . , : = / + - [ ] ( ) > \" are allowed, got "output:1; rm -rf /"',
    "flows[5].priorty: unknown field; did you mean priority?",
  ],
  router: [
    'error: invalid RouterNamespace "qrouter-lab":',
    'interfaces[0].addresses[0]: "10.0.10.1" needs a prefix length, e.g. 10.0.0.1/24 or fd00::1/64',
    'interfaces[1].addresses[0]: "203.0.113.300" is not an IPv4 or IPv6 address, got "203.0.113.300/24"',
    "routes[0].gateway: unknown field",
    "routes[0].via: a route needs `via` (a gateway) or `device`",
    'snat[0].interface: "qg-missing" is not one of the router\'s interfaces',
  ],
  sysctls: [
    'error: invalid RouterNamespace "qrouter-sys":',
    'sysctls.net.ipv4.ip_forward: must be a non-empty value of at most 4096 characters, without control characters or lone surrogates, got "1\\ud800" (4 bytes)',
    'sysctls.kernel.domainname: sysctl key "kernel.domainname" is not per network namespace: only net.* keys belong to a router (others change the whole host), got "lab"',
    'sysctls.vm.swappiness: sysctl key "vm.swappiness" is not per network namespace: only net.* keys belong to a router (others change the whole host), got "10"',
  ],
  patch: [
    'error: invalid PatchPair "int-ex":',
    'a.port: must be 1-15 bytes (a Linux interface name), got "int-br-ex-patch-port" (20 bytes)',
    'b.port: must be 1-15 bytes (a Linux interface name), got "int-br-ex-patch-port" (20 bytes)',
    'b.port: is also a.port; the two ends need two names, got "int-br-ex-patch-port"',
  ],
  rule: [
    'error: invalid FlowRule "strip":',
    "bridge: may contain only letters, digits, '_', '.' and '-', and not start with '.' or '-', got \"br ex\"",
    'priority: must be a number, got "4"',
    'actions: must be a string, e.g. "NORMAL" or "drop"',
    'cookie: must not be 0: that is the cookie of every flow added without one, which ovslab would then own, got "0"',
    "action: unknown field; did you mean actions?",
  ],
  // Computed values reach the provider's check: the engine names the resource, our reason the path.
  outputs: [
    "error: pulumi-nodejs:dynamic/ovslab:Bridge resource 'br-late' has a problem: failMode: must be one of secure, standalone, got \"secur\"",
  ],
};

// One bad value shared by three resources (case `shared`): each named, once, in one run.
const SHARED = [
  ['error: invalid Bridge "rack-a":', "ports[0].tag: must be 0-4095, got 5000"],
  ['error: invalid Bridge "rack-b":', "ports[0].tag: must be 0-4095, got 5000"],
  ['error: invalid RouterNamespace "gw":', "interfaces[0].tag: must be 0-4095, got 5000"],
];

describe("user mistakes through the pulumi CLI @host", function () {
  this.timeout(300_000);
  let state: StateDir;
  const runs: Record<string, PulumiRun> = {};
  let shared: { up: PulumiRun; preview: PulumiRun; urns: string[] };

  before(async () => {
    state = scratchState("mistakes");
    // One stack per case, all at once: each preview starts Node and the SDK (~4 s).
    await Promise.all([...Object.keys(EXPECTED).map(async (c) => {
      const stack = await CliStack.open({ state, projectDir: PROGRAM, stackName: c });
      await stack.setConfig({ "mistakes:case": { value: c } });
      runs[c] = await stack.preview([], { allowFailure: true });
    }), (async () => {
      const stack = await CliStack.open({ state, projectDir: PROGRAM, stackName: "shared" });
      await stack.setConfig({ "mistakes:case": { value: "shared" } });
      const preview = await stack.preview([], { allowFailure: true });
      const up = await stack.up([], { allowFailure: true });
      const urns = ((await stack.exportState()).deployment.resources ?? []).map((r: { urn: string }) => r.urn);
      shared = { up, preview, urns };
    })()]);
  });

  after(() => removeState(state));

  it("covers at least 25 mistakes", () => {
    assert.ok(Object.values(EXPECTED).flat().filter((l) => !l.startsWith("error: invalid")).length >= 25);
  });

  for (const [c, expected] of Object.entries(EXPECTED)) {
    it(`refuses case ${c} with the whole message, once, without a stack trace`, () => {
      const run = runs[c];
      const text = diagnostics(run);
      assert.notEqual(run.code, 0, text);
      assert.deepEqual(errorBlock(run), expected, text);
      assert.equal(text.split(expected[0]).length - 1, 1, `printed more than once:\n${text}`);
      assert.doesNotMatch(text, /^\s+at |Unhandled exception|ValidationError/m, text);
      assert.doesNotMatch(text, /property \w+ value \{/, "no value dump of the engine's");
    });
  }

  for (const op of ["preview", "up"] as const) {
    it(`names every resource that shares one bad value under pulumi ${op}, each once, without a stack trace`, () => {
      const run = shared[op];
      const text = diagnostics(run);
      assert.notEqual(run.code, 0, text);
      // The whole output's errors: the three blocks and nothing else (no "BAIL: run bailed").
      assert.deepEqual(errorBlocks(run), SHARED, text);
      for (const [header] of SHARED) assert.equal(text.split(header).length - 1, 1, `printed more than once:\n${text}`);
      assert.doesNotMatch(text, /^\s+at |Unhandled exception|ValidationError|error serializing/m, text);
    });
  }

  it("registers none of the refused resources, nor what is built on them or depends on them", () => {
    assert.deepEqual(shared.urns.map((u) => u.split("::").pop()), ["mistakes-shared"], shared.urns.join("\n"));
  });

  it("reports each computed value's problem as a check failure of its own", () => {
    const text = diagnostics(runs.outputs);
    assert.match(text, /resource 'br-late' has a problem: ports\[0\]\.tag: must be 0-4095, got 4096$/m);
  });
});
