// What a kind reads from the host, as data: queries (an op and the parser of its output)
// and what to make of their results, possibly another round of queries. The core builds
// it from the spec; one function in the providers runs it (providers/read.ts). Being data,
// reads of many resources can later be batched and shared per host.
import { Op } from "../shell";

/** One read-only command and how to read its stdout. */
export interface Query<T> {
  op: Op;
  parse(stdout: string): T;
  /** What the read depends on (scopes.ts), when its argv does not say (a script). */
  scope?: string;
  /**
   * Commands to run side by side instead of `op` (a long host-wide read), whose outputs,
   * concatenated in order, `parse` reads as `op`'s. `op` still names the read.
   */
  parts?: readonly Op[];
}

const READING: unique symbol = Symbol("ovslab.reading");

/** Queries to run (in order, on one host), then what their parsed results mean. */
export interface Reading<Live> {
  readonly [READING]: true;
  readonly queries: readonly Query<unknown>[];
  /** The live state, or another round of queries that depends on these results. */
  next(results: readonly unknown[]): Live | Reading<Live>;
  /**
   * A host-wide read that many resources share (every bridge, every flow of a bridge, every
   * namespace), and what this resource takes from it. The runner answers from it while no
   * write of ours has touched what it covers; after that, `queries` (the read scoped to
   * this resource) run instead. `pick` returns undefined when the shared read lacks
   * something this resource needs (then the scoped read runs too).
   */
  readonly shared?: { query: Query<unknown>; pick(whole: unknown): Live | Reading<Live> | undefined };
}

export function query<T>(op: Op, parse: (stdout: string) => T, scope?: string, parts?: readonly Op[]): Query<T> {
  return { op, parse, ...(scope ? { scope } : {}), ...(parts ? { parts } : {}) };
}


type Results<Q extends readonly Query<unknown>[]> = { [I in keyof Q]: Q[I] extends Query<infer T> ? T : never };

/** Runs `queries`, then `next` with their parsed results, in the same order. */
export function reading<Q extends readonly Query<unknown>[], Live>(
  queries: readonly [...Q],
  next: (...results: Results<Q>) => Live | Reading<Live>,
): Reading<Live> {
  return { [READING]: true, queries, next: (results) => next(...(results as Results<Q>)) };
}

/** `scoped`, or `pick` from the host-wide `whole` read when the runner holds it fresh (see Reading.shared). */
export function sharedReading<W, Live>(
  whole: Query<W>,
  pick: (whole: W) => Live | Reading<Live> | undefined,
  scoped: Reading<Live>,
): Reading<Live> {
  return { ...scoped, shared: { query: whole, pick: (w) => pick(w as W) } };
}

export function isReading<Live>(step: Live | Reading<Live>): step is Reading<Live> {
  return typeof step === "object" && step !== null && READING in step;
}
