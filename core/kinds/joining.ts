// Commands of several resources, issued on one host at about the same moment, that can run
// as ONE command, and how to cut its output back into each one's own. Each command is a
// process on the host and a round trip; a deployment's routers read and write at the same
// moments. The providers queue them (providers/joins.ts); this says which join and how.
import { Op } from "../shell";
import { isSelectRead, isTransaction, joinSelects, joinTransactions } from "../compile/vsctl";
import { isNamespaceRead, joinNamespaceReads } from "../compile/router";

/** One command for several, and each one's stdout from its stdout. */
export interface Joined {
  op: Op;
  split(stdout: string): string[];
}

/**
 * The family an op joins others of, or undefined when it always runs alone: OVSDB
 * transactions (ovs-vsctl writes: all happen or none), OVSDB select reads, namespace reads.
 */
export function joinFamily(op: Op): string | undefined {
  if (isTransaction(op)) return "ovsdb-write";
  if (isSelectRead(op)) return "ovsdb-read";
  if (isNamespaceRead(op)) return "namespace-read";
  return undefined;
}

/** `ops`, all of `family`, as one command. */
export function joinOps(family: string, ops: readonly Op[]): Joined {
  switch (family) {
    case "ovsdb-write":
      return { op: joinTransactions(ops), split: () => ops.map(() => "") }; // a write's output is not read
    case "ovsdb-read":
      return joinSelects(ops);
    case "namespace-read":
      return joinNamespaceReads(ops);
    default:
      throw new Error(`no way to join commands of family ${family}`);
  }
}
