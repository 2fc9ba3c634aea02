// What a command reads or writes, as a scope, so the providers' per-host read cache can drop
// exactly what our own writes made stale: `ovsdb` (every OVSDB read), `flows:BR` (OpenFlow
// dumps of one bridge), `netns:NS` (one namespace), `pure` (never stale: OVS judging text).
// A `*` suffix covers every scope of its family; `*` alone covers all. Unknown commands are
// taken to write everything, so the cache errs on the side of reading again.
import { Op } from "../shell";
import { netnsOfExec } from "../compile/ip";

export type Scope = string;

const OFCTL_VALUE_OPTIONS = new Set(["-O", "--protocols", "-F", "--flow-format", "-t", "--timeout"]);
const IP_VALUE_OPTIONS = new Set(["-n", "-netns", "-b", "-batch", "-f", "-family", "-rc", "-rcvbuf"]);

/** Words that are not options, skipping the values of options that take one. */
function words(args: readonly string[], valueOptions: Set<string>): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (valueOptions.has(args[i])) i++;
    else if (!args[i].startsWith("-")) found.push(args[i]);
  }
  return found;
}

function ofctlScope(args: readonly string[]): Scope {
  const [verb, bridge] = words(args, OFCTL_VALUE_OPTIONS);
  if (verb === "parse-flows") return "pure";
  return bridge ? `flows:${bridge}` : "flows:*";
}

function ipScopes(args: readonly string[]): Scope[] {
  const at = args.indexOf("-n");
  if (at >= 0 && args[at + 1]) return [`netns:${args[at + 1]}`];
  const [object, verb, name] = words(args, IP_VALUE_OPTIONS);
  if (object === "netns" && name && ["add", "delete", "del", "exec"].includes(verb)) return [`netns:${name}`];
  // `ip -batch` moving devices into namespaces, `ip link set DEV netns NS`: any namespace, and OVS's view of its ports.
  return ["netns:*", "ovsdb"];
}

/** What a write changes. */
export function writeScopes(op: Op): Scope[] {
  const [tool, ...args] = op.argv;
  // A fail_mode change or a deleted port flushes flows; an internal port's device comes and goes
  // in the host's links, which namespace reads include.
  if (tool === "ovs-vsctl") return ["ovsdb", "flows:*", "netns:*"];
  if (tool === "ovs-ofctl") return [ofctlScope(args)];
  if (tool === "ip") return ipScopes(args);
  const ns = netnsOfExec(op.argv);
  if (ns !== undefined) return [`netns:${ns}`]; // sysctl, iptables-restore inside it
  return ["*"];
}

/** What a read depends on; `*` when we cannot tell (then any write makes it stale). */
export function readScope(op: Op): Scope {
  const [tool, ...args] = op.argv;
  if (tool === "ovs-vsctl" || tool === "ovsdb-client") return "ovsdb";
  if (tool === "ovs-ofctl") return ofctlScope(args);
  if (tool === "ip") return ipScopes(args)[0];
  return "*";
}

/** Whether a write to `written` makes a read of `read` stale. */
export function overlaps(read: Scope, written: Scope): boolean {
  if (read === "pure") return false;
  if (read === "*" || written === "*" || read === written) return true;
  const family = (s: Scope) => s.slice(0, s.indexOf(":") + 1);
  if (read.endsWith(":*")) return written.startsWith(family(read));
  if (written.endsWith(":*")) return read.startsWith(family(written));
  return false;
}
