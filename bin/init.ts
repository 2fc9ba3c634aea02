// `ovslab init [dir]`: writes a lab project (bin/scaffold.ts) into a directory, never
// over a file that is there, and says what to run next. Needs nothing but Node and fs:
// it runs before `npm install` brought Node 22 or the Pulumi SDK.
import * as fs from "node:fs";
import * as path from "node:path";
import { manifestText, projectNameFrom, scaffoldFiles, scaffoldManifest, ScaffoldVersions } from "./scaffold";

/** ovslab's own package.json (from dist/bin/ or bin/). */
function ownManifest(): {
  version: string;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
} {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
      if (manifest.name === "ovslab") return manifest;
    }
    if (path.dirname(dir) === dir) throw new Error("ovslab init: cannot find ovslab's own package.json");
  }
}

export function versions(): ScaffoldVersions {
  const own = ownManifest();
  const dev = own.devDependencies;
  return {
    ovslab: `^${own.version}`,
    pulumi: own.peerDependencies["@pulumi/pulumi"],
    node: dev.node,
    typescript: dev.typescript,
    tsNode: dev["ts-node"],
    mocha: dev.mocha,
    typesMocha: dev["@types/mocha"],
    typesNode: dev["@types/node"],
  };
}

export interface InitResult {
  written: string[];
  kept: string[];
}

export function init(dir: string, v: ScaffoldVersions = versions()): InitResult {
  fs.mkdirSync(dir, { recursive: true });
  const manifestFile = path.join(dir, "package.json");
  const existing = fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : undefined;
  const name = projectNameFrom(existing?.name ?? path.basename(path.resolve(dir)));
  const result: InitResult = { written: [], kept: [] };
  for (const [file, text] of Object.entries(scaffoldFiles(name))) {
    const target = path.join(dir, file);
    if (fs.existsSync(target)) {
      result.kept.push(file);
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    result.written.push(file);
  }
  const manifest = manifestText(scaffoldManifest(existing, name, v));
  if (manifest !== (existing ? fs.readFileSync(manifestFile, "utf8") : undefined)) {
    fs.writeFileSync(manifestFile, manifest);
    result.written.push("package.json");
  }
  return result;
}

/** What `ovslab init` prints: what it did and the commands that come next. */
export function initReport(dir: string, result: InitResult): string {
  const cd = path.resolve(dir) === process.cwd() ? [] : [`  cd ${dir}`];
  return [
    ...(result.written.length ? [`wrote ${result.written.join(", ")}`] : []),
    ...(result.kept.length ? [`kept (already there): ${result.kept.join(", ")}`] : []),
    "",
    "next:",
    ...cd,
    "  npm install              # also brings Node 22 (npm package `node`), which Pulumi's SDK needs",
    "  npm test                 # the lab under Pulumi mocks: no host needed",
    "  npx ovslab plan .        # the commands `pulumi up` runs on an empty host",
    "  npx ovslab graph . -o lab.svg",
    "  npx ovslab lab start     # a throwaway lab host on this machine; prints its `pulumi config set` lines",
    "  pulumi stack init dev    # then the config lines, then: pulumi up",
    "",
  ].join("\n");
}
