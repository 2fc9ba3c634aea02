// A router namespace as the host has it, from compile/router `readRouter` (one sectioned
// output) and compile/vsctl `readBridges` (the OVS ports behind its interfaces).
import { ABSENT, HOST, SECTION, SECTIONS } from "../compile/router";
import { LiveBridges } from "./bridge";
import { LiveLink, LiveRoute, parseLinks, parseMainRoutes } from "./ip";
import { LiveTable, parseIptablesSave } from "./iptables";

export interface LiveNamespace {
  name: string;
  /** Every link in the namespace, `lo` included (its alias is the ownership mark). */
  links: LiveLink[];
  /** The main table, both families, kernel routes included. */
  routes: LiveRoute[];
  /** The values of the sysctl keys asked for; keys the kernel does not have are absent. */
  sysctls: Record<string, string>;
  nat: LiveTable;
  /** Read only before a delete (compile/router readNamespaceTenants): what else lives here. */
  tenants?: NamespaceTenants;
}

export interface NamespaceTenants {
  /** Every iptables table iptables-save prints, by name. */
  tables: Record<string, LiveTable>;
  /** Processes running in the namespace. */
  pids: number[];
}

export interface LiveRouter {
  /** Undefined when the namespace does not exist. */
  namespace?: LiveNamespace;
  ovs: LiveBridges;
  /**
   * Names of the links in the host's own namespace, where OVS makes (and, after an
   * ovs-vswitchd restart, makes again) a port's device. Undefined when not read (planning
   * from an empty host).
   */
  hostLinks?: string[];
}

/** `key = value` lines of `sysctl`; multi-value keys keep their words, single-spaced. */
export function parseSysctl(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf(" = ");
    if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 3).trim().split(/\s+/).join(" ");
  }
  return values;
}

function sections(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | undefined;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(SECTION)) {
      current = line.slice(SECTION.length).trim();
      found.set(current, "");
    } else if (current !== undefined) {
      found.set(current, found.get(current)! + line + "\n");
    }
  }
  return found;
}

/**
 * The namespace read, or undefined when it does not exist. `natKept`: the nat table as an
 * earlier read saw it, for a read made without it (compile/router `readRouter`).
 */
export function parseNamespace(name: string, stdout: string, natKept?: LiveTable): LiveNamespace | undefined {
  const parts = sections(stdout);
  if (parts.has(ABSENT)) return undefined;
  const missing = SECTIONS.filter((s) => !parts.has(s) && !(s === "nat" && natKept));
  if (missing.length) throw new Error(`reading namespace ${name}: output lacks section(s) ${missing.join(", ")}`);
  // The ip batch's two answers, one JSON array a line: links, then routes.
  const answers = parts.get("ip")!.split("\n").filter((l) => l.trim() !== "");
  if (answers.length !== 2)
    throw new Error(`reading namespace ${name}: ip printed ${answers.length} JSON line(s), not 2 (links, routes)`);
  return {
    name,
    links: parseLinks(answers[0]),
    routes: parseMainRoutes(answers[1]),
    sysctls: parseSysctl(parts.get("sysctl")!),
    nat: parts.has("nat") ? parseIptablesSave(parts.get("nat")!, "nat") : natKept!,
  };
}

/** The names of the host's own links, from the read's first section (one name a line). */
export function parseHostLinks(stdout: string): string[] {
  const host = sections(stdout).get(HOST);
  if (host === undefined) throw new Error(`reading the host's links: output lacks section ${HOST}`);
  return host.split("\n").map((line) => line.trim()).filter((name) => name !== "");
}

/** The output of readNamespaceTenants; undefined when the namespace is gone. */
export function parseTenants(stdout: string): NamespaceTenants | undefined {
  const parts = sections(stdout);
  if (!parts.has("iptables")) return undefined;
  const text = parts.get("iptables")!;
  const names = [...text.matchAll(/^\*(\S+)$/gm)].map((m) => m[1]);
  return {
    tables: Object.fromEntries(names.map((t) => [t, parseIptablesSave(text, t)])),
    pids: (parts.get("pids") ?? "").split(/\s+/).filter(Boolean).map(Number),
  };
}

