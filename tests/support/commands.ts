// What counts as a write when a test asserts that the host saw none. Unknown commands
// count as writes, so the check errs on the side of failing.
import * as path from "path";

// ovs-vsctl commands that only read (ovs-vsctl(8), "Database Commands" and "Bridge Commands").
const VSCTL_READS = new Set([
  "show",
  "list-br",
  "br-exists",
  "br-to-vlan",
  "br-to-parent",
  "list-ports",
  "list-ifaces",
  "port-to-br",
  "iface-to-br",
  "get-fail-mode",
  "get-controller",
  "list",
  "find",
  "get",
  "wait-until",
  "br-get-external-id",
]);
// `ip` options that take a value, so the value is not mistaken for the object.
const IP_VALUE_OPTIONS = new Set(["-n", "-netns", "-b", "-batch", "-f", "-family", "-rc", "-rcvbuf"]);
const IP_READ_COMMANDS = new Set(["show", "list", "ls", "lst", "get", "list-id", "identify"]);

function ipIsWrite(args: string[]): boolean {
  // A batch's commands come on stdin, unseen: a write, unless it asks for JSON (ovslab's
  // namespace read; its writes never print JSON).
  if (args.includes("-b") || args.includes("-batch")) return !(args.includes("-json") || args.includes("-j"));
  const words = wordsOf(args, IP_VALUE_OPTIONS);
  const [object, command] = words;
  // `ip netns exec NS cmd...` is judged by the command it runs, options and all.
  if (object === "netns" && command === "exec") return isWrite(args.slice(args.indexOf("exec") + 2));
  return command !== undefined && !IP_READ_COMMANDS.has(command);
}

/** Arguments that are not options, skipping the values of options that take one. */
function wordsOf(args: string[], valueOptions: Set<string>): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (valueOptions.has(args[i])) i++;
    else if (!args[i].startsWith("-")) words.push(args[i]);
  }
  return words;
}

const OFCTL_VALUE_OPTIONS = new Set(["-O", "--protocols", "-F", "--flow-format", "-t", "--timeout"]);

export function isWrite(argv: string[]): boolean {
  const [tool, ...args] = argv;
  switch (path.basename(tool ?? "")) {
    case "ovs-vsctl": {
      // Sub-commands are separated by `--`; each starts with its verb after any options.
      const groups: string[][] = [[]];
      for (const a of args) a === "--" ? groups.push([]) : groups[groups.length - 1].push(a);
      return groups.some((g) => {
        const verb = g.find((a) => !a.startsWith("-"));
        return verb !== undefined && !VSCTL_READS.has(verb);
      });
    }
    case "ovs-ofctl": {
      const [verb] = wordsOf(args, OFCTL_VALUE_OPTIONS);
      // parse-flows reads flows without a bridge: OVS judging text, nothing written.
      return !(verb === "show" || verb?.startsWith("dump-") || verb === "diff-flows" || verb === "parse-flows");
    }
    case "ip":
      return ipIsWrite(args);
    case "iptables-save":
    case "ip6tables-save":
      return false;
    case "ovsdb-client": {
      // transact with selects only (a router's scoped port read) writes nothing.
      if (args[0] !== "transact") return !["dump", "list-dbs", "list-tables", "get-schema"].includes(args[0]);
      const operations = JSON.parse(args[args.length - 1]) as unknown[];
      return operations.slice(1).some((o) => (o as { op?: string }).op !== "select");
    }
    case "sysctl":
      return args.includes("-w") || args.some((a) => a.includes("="));
    default:
      return true;
  }
}

export const writesIn = (log: string[][]) => log.filter(isWrite);

/**
 * A log's reads sorted by what ran them: the namespace read script's tools (`ip -n NS`, and
 * `iptables-save`, which `nsenter` runs through PATH; nsenter itself is not logged), counted
 * once per namespace read by its `-details` ip batch; every other read apart.
 */
export function sortReads(log: string[][]): { namespaces: Map<string, number>; others: string[][] } {
  const namespaces = new Map<string, number>();
  const others: string[][] = [];
  for (const argv of log.filter((a) => !isWrite(a))) {
    const [tool, a1, a2] = argv;
    const inside = (tool === "ip" && a1 === "-n") || tool === "iptables-save";
    if (inside && argv.includes("-details")) namespaces.set(a2, (namespaces.get(a2) ?? 0) + 1);
    else if (!inside) others.push(argv);
  }
  return { namespaces, others };
}
