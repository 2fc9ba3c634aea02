// The two Pulumi programs `npm run bench:scale` runs on a lab shape: ovslab's resources, and
// the floor, the same resources with the same inputs as dynamic resources whose methods do
// nothing (what Pulumi itself costs for them). The same inputs include the connection, a
// secret read from the same stack config, and the owner: the engine encrypts and
// checkpoints them for every resource, which is Pulumi's cost, not ovslab's (ovslab's own
// defaults and its larger serialized provider stay in its share). Both read the shape from
// lab.json beside them; a shape with `flowsFiles` gives each FlowTable its rules as a file
// (flows-N.json), and the floor the same inputs (the path and the digest).
import * as fs from "node:fs";
import * as path from "node:path";
import { LabShape } from "./shape";

const OVSLAB = `import * as fs from "node:fs";
import * as path from "node:path";
import { Bridge, FlowTable, RouterNamespace, hostConnection } from "ovslab";
const lab = JSON.parse(fs.readFileSync(path.join(__dirname, "lab.json"), "utf8"));
const connection = hostConnection();
const brInt = new Bridge("br-int", { connection, failMode: "secure", datapathType: "netdev", ports: lab.ports });
const brEx = lab.routers.some((r: any) => r.interfaces.some((i: any) => i.bridge === "br-ex"))
  ? new Bridge("br-ex", { connection, datapathType: "netdev" }) : undefined;
const bridges: Record<string, any> = { "br-int": brInt.name, "br-ex": brEx?.name };
lab.tables.forEach((flows: any[], i: number) => new FlowTable(\`flows-\${i}\`,
  { connection, bridge: brInt.name, ...(lab.flowsFiles ? { flowsFile: \`flows-\${i}.json\` } : { flows }) }));
for (const r of lab.routers) {
  new RouterNamespace(r.name, { connection, ...r, interfaces: r.interfaces.map((i: any) => ({ ...i, bridge: bridges[i.bridge] })) });
}
`;

const FLOOR = `import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
const lab = JSON.parse(fs.readFileSync(path.join(__dirname, "lab.json"), "utf8"));
const noop: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) { return { id: "noop", outs: inputs }; },
  async diff() { return { changes: false }; },
  async delete() {},
};
const config = new pulumi.Config("ovslab");
const connection = config.requireSecret("privateKey").apply((privateKey) => ({ host: config.require("host"),
  port: config.getNumber("port") ?? 22, user: config.get("user") ?? "root", privateKey, hostKey: config.get("hostKey") }));
const secretOutputs = { additionalSecretOutputs: ["connection"] };
const resource = (type: string, name: string, inputs: Record<string, unknown>) =>
  new pulumi.dynamic.Resource(noop, name,
    { connection, owner: \`\${pulumi.getProject()}/\${pulumi.getStack()}/\${type}/\${name}\`, ...inputs }, secretOutputs);
const brInt = resource("Bridge", "br-int", { name: "br-int", failMode: "secure", datapathType: "netdev", ports: lab.ports });
const brEx = resource("Bridge", "br-ex", { name: "br-ex", datapathType: "netdev" });
const bridges: Record<string, any> = { "br-int": brInt.id, "br-ex": brEx.id };
const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
lab.tables.forEach((flows: any[], i: number) => resource("FlowTable", \`flows-\${i}\`, { bridge: brInt.id,
  ...(lab.flowsFiles ? { flowsFile: \`flows-\${i}.json\`, flowsSha256: sha256(\`flows-\${i}.json\`) } : { flows }) }));
for (const r of lab.routers) {
  resource("RouterNamespace", r.name, { ...r, interfaces: r.interfaces.map((i: any) => ({ ...i, bridge: bridges[i.bridge] })) });
}
`;

/** Writes a project directory (Pulumi.yaml, index.ts, lab.json); returns its path. */
export function writeProject(root: string, name: string, kind: "ovslab" | "floor", lab: LabShape): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), kind === "ovslab" ? OVSLAB : FLOOR);
  const tables = lab.flowsFiles ? lab.tables.map(() => []) : lab.tables;
  lab.tables.forEach(
    (flows, i) => lab.flowsFiles && fs.writeFileSync(path.join(dir, `flows-${i}.json`), JSON.stringify(flows)),
  );
  const flowsFiles = Boolean(lab.flowsFiles);
  fs.writeFileSync(
    path.join(dir, "lab.json"),
    JSON.stringify({ ports: lab.ports, tables, routers: lab.routers, flowsFiles }),
  );
  return dir;
}
