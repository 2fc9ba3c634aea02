// The one read of a router namespace: links, addresses, routes, sysctls and the nat table
// in ONE command (each command is an SSH round trip), as sections live/router splits.
import { Op } from "../shell";

/** Starts each section of the read's output; never a line `ip`, sysctl or iptables-save prints. */
export const SECTION = "@@ovslab ";
export const SECTIONS = ["ip", "sysctl", "nat"] as const;
export const ABSENT = "absent";
/** The host's own namespace's links: where OVS makes a port's device (again, after a restart). */
export const HOST = "host";
/** A read's parameter: with the nat table, or without. */
const WITH_NAT = "nat";
const WITHOUT_NAT = "-";

// A fixed script, in two parts: the host's own links (a device OVS made anew is there),
// then the namespace. The namespace and sysctl keys arrive as positional parameters, never
// pasted into the text. iproute2 keeps named namespaces in /var/run/netns (NETNS_RUN_DIR).
// Each process started costs ~10-20 ms on a busy host and a read runs for every namespace,
// so the script starts as few as it can: the host's link names come from /proc/net/dev
// (the reading shell's own namespace), one name a line, through one `sed`: ~3 ms more
// than the shell's own `read` loop on a host of a few devices, but dash reads a byte per
// system call, and the loop took ~200 ms per read with 1,050 devices (a Neutron node's
// size) against ~17 ms for sed; the
// namespace is entered once (`nsenter --net`: only the network namespace, where `ip netns
// exec` also makes a mount namespace and mounts /sys, for each tool), and inside it one
// shell runs every tool. One `ip -json -batch` prints two JSON arrays, one a line:
// `address show` lists every link with its addresses (`-details` adds linkinfo: which links
// are VLAN devices, their ids and parents), `route show table all` both families' routes
// (live/ip.ts keeps the main table's). The sysctl values are read from /proc/sys by bash's
// own `read` (what sysctl(8) does, without a process): a key's dots are the path's slashes,
// a slash stands for a dot in a device's name (eth0/100 is eth0.100), as sysctl(8) has it;
// a key the kernel lacks prints nothing, as with `sysctl -e`. dash's `read` would not do:
// it reads a byte at a time, and a /proc/sys number read from past its start says nothing
// more. ovslab's writes never ask for JSON, so a command log tells this batch for a read by
// its `-json`.
const HOST_LINKS = `echo '${SECTION}${HOST}'
sed -n 's/^ *\\([^:]*\\):.*/\\1/p' /proc/net/dev || exit`;
// Inside the namespace, in bash; in double quotes only, as it sits in the outer script's
// single quotes. `ip -n` there enters the namespace again (~2 ms), but names it in a command log.
// The nat table only when asked (`nat`): a read back after writes that left it alone keeps
// what the read before them saw, without an iptables-save.
const INSIDE = `ns=$1 nat=$2; shift 2
echo "${SECTION}ip"; ip -n "$ns" -json -details -batch - <<<"address show
route show table all" || exit
echo "${SECTION}sysctl"; for key; do path=\${key//./:}; path=\${path//\\//.}; path=\${path//:/\\/}
read -r value 2>/dev/null <"/proc/sys/$path" && echo "$key = $value"; done
[ "$nat" = ${WITH_NAT} ] || exit 0
echo "${SECTION}nat"; iptables-save -t nat`;
const BODY = `[ -e "/var/run/netns/$ns" ] || { echo '${SECTION}${ABSENT}'; exit 0; }
nsenter --net="/var/run/netns/$ns" bash -c '${INSIDE}' bash "$ns" "$nat" "$@"`;

const SCRIPT = `ns=$1 nat=$2; shift 2
${HOST_LINKS}
${BODY}`;

/** Starts each namespace's part of `readRouters`' output, followed by its name. */
export const NAMESPACE = "@@ovslab-netns ";

/** Starts the line where one part of `readRouters` lists every namespace it saw. */
export const SEEN = "@@ovslab-netns-seen";

// Every namespace as `readRouter` reads one (each in a subshell, so its `exit` ends only
// it), in `parts` commands to run side by side: one command reads its namespaces one after
// another, on one core. The first part prints the host's links; each lists every namespace
// it sees (the parts must agree: a namespace made or deleted meanwhile would be missed or
// read twice) and reads every parts-th of them.
const PART = `part=$1 parts=$2 nat=${WITH_NAT}; shift 2
if [ "$part" -eq 0 ]; then
${HOST_LINKS}
fi
seen=; for f in /var/run/netns/*; do [ -e "$f" ] && seen="$seen \${f##*/}"; done
echo "${SEEN}$seen"
i=0; for f in /var/run/netns/*; do [ -e "$f" ] || continue; ns=\${f##*/}; i=$((i + 1))
[ $((i % parts)) -eq "$part" ] || continue
echo "${NAMESPACE}$ns"; ( ${BODY} ) || exit; done`;

const WHAT = "links, addresses, routes, sysctls, nat rules";

function readRoutersPart(sysctlKeys: readonly string[], part: number, parts: number): Op {
  return {
    argv: ["sh", "-c", PART, "sh", String(part), String(parts), ...sysctlKeys],
    why: parts === 1 ? `read every namespace: ${WHAT}` : `read every namespace, part ${part + 1} of ${parts}: ${WHAT}`,
  };
}

/** Every namespace on the host in one command, as `readRouter` reads each; the sysctl keys as parameters. */
export const readRouters = (sysctlKeys: readonly string[]): Op => readRoutersPart(sysctlKeys, 0, 1);

/** `readRouters` as `parts` commands to run side by side; their outputs, concatenated in order, read as its. */
export function readRoutersInParts(sysctlKeys: readonly string[], parts: number): Op[] {
  return Array.from({ length: parts }, (_, part) => readRoutersPart(sysctlKeys, part, parts));
}

/** One namespace; without its nat table when `nat` is false (its output then lacks that section). */
export function readRouter(ns: string, sysctlKeys: readonly string[], nat = true): Op {
  return {
    argv: ["sh", "-c", SCRIPT, "sh", ns, nat ? WITH_NAT : WITHOUT_NAT, ...sysctlKeys],
    why: `read namespace ${ns}: links, addresses, routes, sysctls${nat ? ", nat rules" : ""}`,
  };
}

export const isNamespaceRead = (op: Op): boolean => op.argv[0] === "sh" && op.argv[2] === SCRIPT && !op.stdin;

// Several `readRouter`s as one: the host's links once, then each namespace as `readRouter`
// reads it, with or without its nat table, with its own sysctl keys (one parameter, a key a
// line: POSIX sh has no arrays).
const JOINED = `${HOST_LINKS}
while [ $# -gt 2 ]; do ns=$1 nat=$2 keys=$3; shift 3
echo "${NAMESPACE}$ns"; ( IFS='
'; set -f; set -- $keys; ${BODY} ) || exit; done`;

/**
 * Several namespace reads (`readRouter` ops) as ONE command, and how to cut its output back
 * into each read's own, as if it ran alone: a command is a process and a round trip, and
 * every router of a deployment reads its namespace at about the same moment.
 */
export function joinNamespaceReads(ops: readonly Op[]): { op: Op; split(stdout: string): string[] } {
  const args = ops.flatMap((op) => {
    const [ns, nat, ...keys] = op.argv.slice(4);
    if (keys.some((k) => k.includes("\n"))) throw new Error(`sysctl key ${JSON.stringify(keys)} holds a newline`);
    return [ns, nat, keys.join("\n")];
  });
  return {
    op: { argv: ["sh", "-c", JOINED, "sh", ...args], why: ops.map((op) => op.why).join("; ") },
    split: (stdout) => {
      const [host, ...parts] = stdout.split(`\n${NAMESPACE}`);
      if (parts.length !== ops.length)
        throw new Error(`joined namespace read: ${parts.length} namespace(s) in the output, ${ops.length} read`);
      // Each part as readRouter prints it: the host's section, then the namespace's, newline-ended.
      return parts.map((part, i) => `${host}\n${part.slice(part.indexOf("\n") + 1)}${i < parts.length - 1 ? "\n" : ""}`);
    },
  };
}

/** Starts the sections of readNamespaceTenants' output. */
export const TENANT_SECTIONS = ["iptables", "pids"] as const;

// Every iptables table (a Neutron l3-agent's filter and nat chains) and every process.
const TENANTS_SCRIPT = `ns=$1
[ -e "/var/run/netns/$ns" ] || exit 0
echo '${SECTION}iptables'; nsenter --net="/var/run/netns/$ns" iptables-save || exit
echo '${SECTION}pids'; ip netns pids "$ns"`;

/** What else may live in a namespace, read before deleting it: what is not ours keeps it. */
export function readNamespaceTenants(ns: string): Op {
  return {
    argv: ["sh", "-c", TENANTS_SCRIPT, "sh", ns],
    why: `read what else lives in namespace ${ns}: iptables tables, processes`,
  };
}

