// A Pulumi project directory read the way the CLI reads it: Pulumi.yaml (name, main,
// config defaults) and Pulumi.<stack>.yaml (the stack's config). No engine involved.
import * as fs from "node:fs";
import * as path from "node:path";
import { LabError } from "./errors";

// js-yaml comes with @pulumi/pulumi (which parses the same files with it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml: { load(text: string): unknown } = require("js-yaml");

export interface Project {
  dir: string;
  /** Pulumi.yaml `name`. */
  name: string;
  /** The program's entry point: Pulumi.yaml `main` (or the directory itself), absolute. */
  main: string;
  /** Pulumi.yaml `config` defaults, keys qualified (`openstack-aio:datapathType`). */
  defaults: Record<string, string>;
}

export interface StackConfig {
  config: Record<string, string>;
  /** Keys whose value is a secret (`secure:` in Pulumi.<stack>.yaml). */
  secretKeys: string[];
}

/** Stands in for a `secure:` value: ovslab/testing and `ovslab plan` never decrypt or need one. */
export const SECRET_PLACEHOLDER = "[secret: not decrypted]";

function readYaml(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = yaml.load(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new LabError([`${file}: ${(error as Error).message.split("\n")[0]}`]);
  }
  if (!parsed || typeof parsed !== "object") throw new LabError([`${file}: expected a YAML mapping`]);
  return parsed as Record<string, unknown>;
}

/** Pulumi hands every config value to the program as a string; objects as JSON. */
export function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `port` -> `<project>:port`; `ovslab:host` stays. */
export function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

export function readProject(dir: string): Project {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new LabError([`${dir}: no Pulumi.yaml (is this a Pulumi project directory?)`]);
  const doc = readYaml(file);
  if (typeof doc.name !== "string" || !doc.name) throw new LabError([`${file}: no project \`name\``]);
  if (doc.runtime !== "nodejs" && (doc.runtime as { name?: string })?.name !== "nodejs") {
    throw new LabError([`${file}: runtime must be nodejs (ovslab programs are TypeScript or JavaScript)`]);
  }
  const defaults: Record<string, string> = {};
  for (const [key, entry] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    const declared =
      entry && typeof entry === "object" && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
    const value = declared ? (declared.value ?? declared.default) : entry;
    if (value !== undefined) defaults[qualify(key, doc.name)] = configText(value);
  }
  const main = path.resolve(dir, typeof doc.main === "string" ? doc.main : ".");
  return { dir: path.resolve(dir), name: doc.name, main, defaults };
}

/** Pulumi.<stack>.yaml's config, when the file exists; secure values become placeholders. */
export function readStackConfig(project: Project, stack: string): StackConfig {
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return { config: {}, secretKeys: [] };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries((readYaml(file).config ?? {}) as Record<string, unknown>)) {
    const full = qualify(key, project.name);
    const secure = value && typeof value === "object" && "secure" in (value as object);
    config[full] = secure ? SECRET_PLACEHOLDER : configText(value);
    if (secure) secretKeys.push(full);
  }
  return { config, secretKeys };
}
