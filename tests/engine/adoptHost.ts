// Helpers of adopt.test.ts: the seed lab built by hand on a lab host, a 100 pps ping that
// runs for as long as a step takes, flow counters as OVS prints them, and the writes that
// adopting may make (ownership marks only), told apart from any other.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { LabHost } from "../../lab";
import { repoRoot } from "../../engine/tools";

export const FIXTURE = path.join(repoRoot(), "tests", "fixtures", "adopt");
export const ROUTER = "qrouter-f44651e2-0aab-435b-ad11-7ad4255825c7";

/** Runs tests/fixtures/adopt/seed-by-hand.sh on the lab host (its commands are not in the SSH command log). */
export async function buildByHand(lab: LabHost, ...args: string[]): Promise<void> {
  const script = fs.readFileSync(path.join(FIXTURE, "seed-by-hand.sh"), "utf8");
  await lab.sh(["bash", "-s", "--", ...args], script);
}

export interface PingResult {
  /** Highest sequence number answered: the ping covered at least this many requests. */
  answered: number;
  /** Requests up to that one that got no answer. */
  lost: number[];
}

/**
 * A ping at 100 pps from a namespace, until stopped: `stop()` interrupts it by its PID and
 * counts, from each reply's icmp_seq, the requests that went unanswered. The last request
 * in flight when it is interrupted is not counted either way.
 */
export async function startPing(lab: LabHost, ns: string, target: string) {
  const pidFile = `/tmp/ovslab-adopt-ping-${randomBytes(4).toString("hex")}.pid`;
  const running = lab.exec([
    "sh", "-c", `echo $$ > ${pidFile}; exec ip netns exec "$0" ping -n -i 0.01 -W 1 -c 100000 "$1"`, ns, target,
  ]);
  let pid = "";
  for (let i = 0; i < 100 && !pid; i++) {
    pid = (await lab.exec(["cat", pidFile])).stdout.trim();
    if (!pid) await new Promise((r) => setTimeout(r, 50));
  }
  if (!/^\d+$/.test(pid)) throw new Error(`ping in ${ns} did not start`);
  return {
    async stop(): Promise<PingResult> {
      await lab.sh(["kill", "-INT", pid]);
      const { stdout } = await running;
      await lab.exec(["rm", "-f", pidFile]);
      const seqs = new Set([...stdout.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1])));
      const answered = Math.max(0, ...seqs);
      const lost: number[] = [];
      for (let seq = 1; seq <= answered; seq++) if (!seqs.has(seq)) lost.push(seq);
      return { answered, lost };
    },
  };
}

export interface FlowStats {
  cookie: string;
  nPackets: number;
  /** When OVS made the flow, as this machine's clock says (now minus its duration). */
  createdMs: number;
}

/** Each flow of a bridge by `priority=P,MATCH`, with its cookie and counters. */
export async function flowStats(lab: LabHost, bridge: string): Promise<Map<string, FlowStats>> {
  const text = await lab.sh(["ovs-ofctl", "-O", "OpenFlow14", "--no-names", "dump-flows", bridge]);
  const now = Date.now();
  const stats = new Map<string, FlowStats>();
  for (const line of text.split("\n")) {
    const m = /cookie=(\S+), duration=([\d.]+)s, table=(\d+), n_packets=(\d+),.* (priority=\S+) actions=/.exec(line);
    if (m)
      stats.set(`table=${m[3]},${m[5]}`, {
        cookie: m[1],
        nPackets: Number(m[4]),
        createdMs: now - Number(m[2]) * 1000,
      });
  }
  return stats;
}

/**
 * Why a logged command is a write adopting may make, or undefined when it is any other
 * write: an ovs-vsctl transaction of nothing but `set Bridge|Port NAME
 * external_ids:ovslab-owner=...`; a namespace's mark on `lo`; the one command that moves
 * flows to our cookie in place (`-O OpenFlow10 add-flows`, its lines are modify_strict
 * of the cookie); the router's one `iptables-restore --noflush` (our chains, and the hand
 * rules they replace).
 */
export function markWrite(argv: string[]): string | undefined {
  const [command, ...args] = argv;
  const tool = path.basename(command ?? "");
  if (tool === "ovs-vsctl") {
    const marks = vsctlCommands(args).every(
      (g) =>
        g.length === 4 && g[0] === "set" && /^(Bridge|Port)$/.test(g[1]) && /^external_ids:ovslab-owner=/.test(g[3]),
    );
    return marks ? "owner marks" : undefined;
  }
  if (tool === "ip" && args[0] === "-n" && args.slice(2, 8).join(" ") === "link set dev lo up alias")
    return "namespace mark";
  if (tool === "ovs-ofctl" && args.join(" ") === "-O OpenFlow10 add-flows br-ex -") return "flow cookies";
  // Run inside the namespace by `nsenter`, which the log does not show: the tool it runs.
  if (tool === "iptables-restore" && args.join(" ") === "--noflush -w") return "nat chains";
  return undefined;
}

/** An ovs-vsctl transaction's commands: its arguments split at each `--`. */
function vsctlCommands(args: string[]): string[][] {
  const commands: string[][] = [[]];
  for (const a of args) a === "--" ? commands.push([]) : commands[commands.length - 1].push(a);
  return commands;
}

/** The OVSDB rows the ownership-mark transactions set, as `Table name`, sorted (a row twice shows twice). */
export function markedRows(writes: string[][]): string[] {
  return writes
    .filter((argv) => markWrite(argv) === "owner marks")
    .flatMap(([, ...args]) => vsctlCommands(args).map(([, table, name]) => `${table} ${name}`))
    .sort();
}
