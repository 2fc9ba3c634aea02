// What counts as a write when a test asserts that the host saw none.
const READS: Array<(argv: string[]) => boolean> = [
  (a) => a[0] === "ovs-vsctl" && a.includes("--format=json") && !a.some((w) => ["set", "add-br", "add-port", "del-br", "del-port", "clear", "remove"].includes(w)),
  (a) => a[0] === "ovs-vsctl" && (a.includes("show") || a.includes("get") || a.includes("list-br")),
  (a) => a[0] === "ovs-ofctl" && a.some((w) => w.startsWith("dump-")),
  (a) => a[0] === "iptables-save",
  (a) => a[0] === "sysctl" && !a.includes("-w"),
  (a) => a[0] === "ip" && (a.includes("-json") || a.includes("-j")) && !a.some((w) => ["add", "del", "replace", "set", "flush", "change"].includes(w)),
  (a) => a[0] === "ip" && a[1] === "netns" && (a[2] === "list" || a[2] === "list-id" || a.length === 2),
];

export function isWrite(argv: string[]): boolean {
  // `ip netns exec NS cmd...` is judged by the command it runs.
  if (argv[0] === "ip" && argv[1] === "netns" && argv[2] === "exec") return isWrite(argv.slice(4));
  return !READS.some((read) => read(argv));
}

export const writesIn = (log: string[][]) => log.filter(isWrite);
