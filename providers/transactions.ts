// OVSDB writes of several resources on one host, issued while another is running, reach the
// host as ONE transaction. ovs-vsctl waits for ovs-vswitchd to reconfigure after each
// transaction, which on a large bridge is most of a write's time (a large `up`'s 50 routers
// spent ~1.4 s each there, waiting in turn): joined, they wait once. A joined transaction
// that fails changed nothing (an OVSDB transaction is atomic, and ovs-vsctl checks its
// commands before it commits), so each op then runs alone and each resource gets its own
// error. A transport failure is not retried: the joined command may have run.
import { isTransaction, joinTransactions } from "../core/compile/vsctl";
import { Op } from "../core/shell";
import { CommandError, runChecked, Transport } from "../transport/types";

/** Bounds one command line (about 20 words per router's transaction). */
const MAX_JOINED = 64;

interface Pending {
  op: Op;
  done(error?: unknown): void;
}

export class TransactionQueue {
  private readonly waiting: Pending[] = [];
  private running = false;

  constructor(private readonly host: Transport) {}

  /** Runs `op` on the host: at once when no transaction is running, else joined with those queued meanwhile. */
  run(op: Op): Promise<void> {
    if (!isTransaction(op)) return runChecked(this.host, op).then(() => undefined);
    return new Promise((resolve, reject) => {
      this.waiting.push({ op, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) await this.runBatch(this.waiting.splice(0, MAX_JOINED));
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      const failure = await runChecked(this.host, joinTransactions(batch.map((p) => p.op))).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!(failure instanceof CommandError)) {
        for (const p of batch) p.done(failure);
        return;
      }
    }
    for (const p of batch)
      p.done(
        await runChecked(this.host, p.op).then(
          () => undefined,
          (error: unknown) => error ?? new Error("failed"),
        ),
      );
  }
}
