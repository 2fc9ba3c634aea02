// The files `ovslab init` writes: a Pulumi project with a small lab, a mocks test that
// passes, and settings that work for `tsc`, mocha and `pulumi up` alike. Pure: text only.

/** What the scaffold's package.json needs, with the versions ovslab itself is built and tested with. */
export interface ScaffoldVersions {
  ovslab: string;
  pulumi: string;
  node: string;
  typescript: string;
  tsNode: string;
  mocha: string;
  typesMocha: string;
  typesNode: string;
}

/** A Pulumi project name from a directory name: letters, digits, `-`, `_`, `.`. */
export function projectNameFrom(dirName: string): string {
  const name = dirName.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+|-+$/g, "");
  return name || "lab";
}

const PULUMI_YAML = (name: string) => `name: ${name}
runtime: nodejs
description: A lab network declared with ovslab.
config:
  datapathType:
    type: string
    default: netdev
    description: >-
      OVSDB Bridge.datapath_type of every bridge. netdev (userspace) needs no kernel
      module; system needs the openvswitch kernel module on the host.
`;

const INDEX_TS = `// The lab: two tenants on VLANs of br-int, routed out of br-ex by one router namespace
// with SNAT. The host connection comes from stack config (ovslab:host, ovslab:port,
// ovslab:user, ovslab:hostKey and the secret ovslab:privateKey): \`npx ovslab lab start\`
// starts a throwaway host on this machine and prints the lines that set them.
import * as pulumi from "@pulumi/pulumi";
import { Bridge, FlowTable, RouterNamespace, hostConnection } from "ovslab";

const config = new pulumi.Config();
const connection = hostConnection();
const datapathType = (config.get("datapathType") ?? "netdev") as "netdev" | "system";

export const tenants = [
  { name: "red", vlan: 10, gateway: "10.0.10.1/24", subnet: "10.0.10.0/24" },
  { name: "blue", vlan: 20, gateway: "10.0.20.1/24", subnet: "10.0.20.0/24" },
];

const brInt = new Bridge("br-int", {
  connection,
  failMode: "secure",
  datapathType,
  ports: tenants.map((t) => ({ name: \`vm-\${t.name}\`, type: "internal" as const, tag: t.vlan })),
});

const brEx = new Bridge("br-ex", { connection, datapathType });

// fail_mode secure switches nothing until a flow says so.
new FlowTable("br-int-flows", {
  connection,
  bridge: brInt.name,
  flows: [{ priority: 1, actions: "NORMAL" }],
});

const router = new RouterNamespace("qrouter-lab", {
  connection,
  interfaces: [
    ...tenants.map((t) => ({ name: \`qr-\${t.name}\`, bridge: brInt.name, tag: t.vlan, addresses: [t.gateway] })),
    { name: "qg-lab", bridge: brEx.name, addresses: ["203.0.113.10/24"] },
  ],
  routes: [{ destination: "default", via: "203.0.113.1" }],
  snat: [{ interface: "qg-lab", sources: tenants.map((t) => t.subnet) }],
});

export const bridges = [brInt.name, brEx.name];
export const routerNamespace = router.name;
`;

const TEST_TS = `// The lab under Pulumi mocks: no host, no engine, no network (\`npm test\`).
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Lab, loadLab } from "ovslab/testing";

describe("the lab", () => {
  let lab: Lab;
  before(async () => {
    lab = await loadLab(path.join(__dirname, ".."));
  });

  it("puts each tenant's server and router port on the tenant's VLAN of br-int", () => {
    const tags = Object.fromEntries(lab.ports("br-int").map((p) => [p.name, p.tag]));
    assert.deepEqual(tags, { "vm-red": 10, "vm-blue": 20, "qr-red": 10, "qr-blue": 20 });
  });

  it("keeps br-int secure and switches it with one NORMAL flow", () => {
    assert.equal(lab.bridge("br-int").spec.failMode, "secure");
    assert.deepEqual(lab.flows("br-int").map((f) => f.actions), ["NORMAL"]);
  });

  it("translates both tenant subnets to the gateway address on the way out", () => {
    assert.deepEqual(lab.router("qrouter-lab").spec.snat[0].sources, ["10.0.10.0/24", "10.0.20.0/24"]);
  });
});
`;

// mocha's default 2 s is less than a first loadLab takes (the SDK and ts-node load once).
const MOCHARC = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: ["test/**/*.test.ts"],
  timeout: 60000,
  // Node 22 strips types on its own when asked to run .ts; ts-node does it here instead.
  "node-option": ["no-experimental-strip-types"],
};

// CommonJS output with Node's classic resolution: what \`tsc\`, ts-node (mocha) and the
// Pulumi language host all accept without settings of their own.
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "commonjs",
    lib: ["ES2022"],
    types: ["node", "mocha"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["*.ts", "test/**/*.ts"],
};

const GITIGNORE = "node_modules/\n.ovslab/\n";

// `npm install ../ovslab` (a checkout) then copies the package as a tarball would, rather
// than linking the checkout with its own node_modules: one copy of the Pulumi SDK.
const NPMRC = "install-links=true\n";

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** Every file but package.json, by path relative to the project. */
export function scaffoldFiles(name: string): Record<string, string> {
  return {
    "Pulumi.yaml": PULUMI_YAML(name),
    "index.ts": INDEX_TS,
    "test/lab.test.ts": TEST_TS,
    ".mocharc.json": json(MOCHARC),
    "tsconfig.json": json(TSCONFIG),
    ".gitignore": GITIGNORE,
    ".npmrc": NPMRC,
  };
}

type Manifest = Record<string, unknown> & {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/**
 * package.json with what the scaffold needs added, and nothing the user set changed:
 * ovslab and the Pulumi SDK (one copy: ovslab's peer) as dependencies, Node 22 (npm
 * package `node`, which the engine's plugins find in node_modules/.bin), TypeScript,
 * ts-node and mocha as devDependencies.
 */
export function scaffoldManifest(existing: Manifest | undefined, name: string, v: ScaffoldVersions): Manifest {
  const m: Manifest = { ...(existing ?? { name, version: "0.0.0", private: true }) };
  const add = (into: Record<string, string> | undefined, entries: Record<string, string>) => {
    const out = { ...(into ?? {}) };
    for (const [k, value] of Object.entries(entries)) out[k] ??= value;
    return out;
  };
  m.scripts = add(m.scripts, { test: "mocha", build: "tsc --noEmit" });
  // Already installed (npm install ovslab.tgz) or declared: the user's spec stays.
  const declared = m.dependencies?.ovslab ?? m.devDependencies?.ovslab;
  m.dependencies = add(m.dependencies, { "@pulumi/pulumi": v.pulumi, ...(declared ? {} : { ovslab: v.ovslab }) });
  m.devDependencies = add(m.devDependencies, {
    node: v.node,
    typescript: v.typescript,
    "ts-node": v.tsNode,
    mocha: v.mocha,
    "@types/mocha": v.typesMocha,
    "@types/node": v.typesNode,
  });
  return m;
}

export { json as manifestText };
