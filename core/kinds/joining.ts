// Commands of several resources, issued on one host at about the same moment, that can run
// as ONE command, and how to cut its output back into each one's own. Each command is a
// process on the host and a round trip; a deployment's routers read and write at the same
// moments. The providers queue them (providers/joins.ts); this says which join and how.
// Also which of ONE resource's consecutive writes run as one command (a chain).
import { Op } from "../shell";
import { isSelectRead, isTransaction, joinSelects, joinTransactions } from "../compile/vsctl";
import { isNamespaceRead, joinNamespaceReads } from "../compile/router";
import { netnsOfExec } from "../compile/ip";

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

/**
 * Whether a write may run chained with the same resource's writes next to it: namespace
 * commands (`ip ...`, `nsenter --net=NS tool`), each small and quick, several in a row in
 * a router's create. OVSDB transactions join other resources' instead; flow bundles can be
 * large and run alone, each within its own time limit.
 */
export const chainable = (op: Op): boolean =>
  (op.argv[0] === "ip" || netnsOfExec(op.argv) !== undefined) && textSize(op) <= CHAIN_BYTES;

/**
 * Bounds a chain's text: it reaches the host as ONE argument of `sh -c`, which Linux caps
 * at 128 KiB (MAX_ARG_STRLEN); a router's NAT rules or addresses by the thousand run alone.
 */
export const CHAIN_BYTES = 32 * 1024;

// About the op's text in the chain: stdin goes in single-quoted (a quote takes four
// characters), so it counts twice.
const textSize = (op: Op) => op.argv.reduce((n, word) => n + word.length + 3, 0) + (op.stdin?.length ?? 0) * 2;

/** `ops` in order, consecutive chainable ones grouped: each group runs as one command. */
export function chains(ops: readonly Op[]): Op[][] {
  const groups: Op[][] = [];
  let size = 0;
  for (const op of ops) {
    const last = groups[groups.length - 1];
    if (last && chainable(op) && chainable(last[0]) && size + textSize(op) <= CHAIN_BYTES) {
      last.push(op);
      size += textSize(op);
    } else {
      groups.push([op]);
      size = textSize(op);
    }
  }
  return groups;
}
