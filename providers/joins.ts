// Commands of several resources on one host, issued while another of their family runs,
// reach the host as ONE command (core/kinds/joining.ts says which and how). OVSDB writes:
// ovs-vsctl waits for ovs-vswitchd to reconfigure after each transaction, which on a large
// bridge is most of a write's time (a large `up`'s 50 routers spent ~1.4 s each there,
// waiting in turn); joined, they wait once. Reads (OVSDB selects, namespace reads): each
// command is a process and a round trip, and a deployment's routers read at the same moments.
// A joined command that fails changed nothing (an OVSDB transaction is atomic, and ovs-vsctl
// checks its commands before it commits; reads change nothing), so each op then runs alone
// and each resource gets its own error. A transport failure is not retried: the joined
// command may have run.
import { joinFamily, joinOps } from "../core/kinds/joining";
import { chainCommands, Op, stepOutput } from "../core/shell";
import { CommandError, runChecked, Transport } from "../transport/types";

/** Bounds one command line (about 20 words per router's transaction or read). */
const MAX_JOINED = 64;

interface Pending {
  op: Op;
  done(error: unknown, stdout?: string): void;
}

export class JoinQueue {
  private readonly waiting = new Map<string, Pending[]>();
  private readonly running = new Set<string>();

  constructor(private readonly host: Transport) {}

  /** Runs `op` on the host, returning its stdout: at once when none of its family runs, else joined with those queued meanwhile. */
  run(op: Op): Promise<string> {
    const family = joinFamily(op);
    if (family === undefined) return runChecked(this.host, op).then((r) => r.stdout);
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(family) ?? [];
      this.waiting.set(family, queue);
      queue.push({ op, done: (error, stdout) => (error === undefined ? resolve(stdout ?? "") : reject(error)) });
      if (!this.running.has(family)) void this.drain(family, queue);
    });
  }

  private async drain(family: string, queue: Pending[]): Promise<void> {
    this.running.add(family);
    try {
      while (queue.length) await this.runBatch(family, queue.splice(0, MAX_JOINED));
    } finally {
      this.running.delete(family);
    }
  }

  private async runBatch(family: string, batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      const failure = await this.runJoined(family, batch);
      if (!(failure instanceof CommandError || failure instanceof JoinedOutputError)) {
        for (const p of batch) p.done(failure);
        return;
      }
    }
    for (const p of batch) {
      const outcome = await runChecked(this.host, p.op).then(
        (r) => ({ stdout: r.stdout }),
        (error: unknown) => ({ error: error ?? new Error("failed") }),
      );
      "error" in outcome ? p.done(outcome.error) : p.done(undefined, outcome.stdout);
    }
  }

  /** Runs the batch as one command and answers each op; returns the failure instead, having answered none. */
  private async runJoined(family: string, batch: Pending[]): Promise<unknown> {
    const joined = joinOps(family, batch.map((p) => p.op));
    let stdout: string;
    try {
      stdout = (await runChecked(this.host, joined.op)).stdout;
    } catch (error) {
      return error;
    }
    let outputs: string[];
    try {
      outputs = joined.split(stdout);
    } catch (error) {
      return new JoinedOutputError(String(error));
    }
    batch.forEach((p, i) => p.done(undefined, outputs[i]));
    return undefined;
  }
}

/** A joined command's output could not be cut back into each one's: they run alone instead. */
class JoinedOutputError extends Error {}

/**
 * A resource's consecutive writes as ONE command (core/kinds/joining.ts `chains`), stopping at
 * the first that fails; its failure is told as that write's own, as if it had run alone.
 */
export async function runChain(host: Transport, ops: readonly Op[]): Promise<void> {
  if (ops.length === 1) return void (await runChecked(host, ops[0]));
  try {
    await runChecked(host, chainCommands(ops));
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const failed = stepOutput(error.result.stdout, error.result.stderr);
    if (!failed || !ops[failed.step]) throw error;
    throw new CommandError(host.label, ops[failed.step].argv, { ...failed, code: error.result.code });
  }
}
