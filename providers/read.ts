// The one place that runs a kind's reads (core/kinds/reading.ts) and its writes on a host,
// and the per-host read cache between them. A provider process lives for one Pulumi
// operation, so a read is shared by every resource of that operation on the host (one OVSDB
// read, one flow dump per bridge, one read of every namespace) until a write of OURS
// touches what it covers (core/kinds/scopes.ts); hand drift made before the operation is
// seen, since nothing outlives the process.
import { isReading, Query, Reading } from "../core/kinds/reading";
import { overlaps, readScope, Scope, writeScopes } from "../core/kinds/scopes";
import { chains } from "../core/kinds/joining";
import { formatCommand, formatScript, Op } from "../core/shell";
import { Transport } from "../transport/types";
import { JoinQueue, runChain } from "./joins";

interface Entry {
  scope: Scope;
  value: Promise<unknown>;
}

class HostCache {
  private readonly entries = new Map<string, Entry>();
  /** Scopes some write of ours has touched: their shared reads are no longer used. */
  private readonly written: Scope[] = [];
  private writing = 0;
  private generation = 0;
  /** Commands of a family issued while another of it runs go as one (joins.ts). */
  private readonly joins: JoinQueue;

  constructor(private readonly host: Transport) {
    this.joins = new JoinQueue(host);
  }

  /** The parsed output of `q`, run once and shared until a write of ours makes it stale. */
  read<T>(q: Query<T>): Promise<T> {
    if (!sharing) return this.run(q);
    const scope = q.scope ?? readScope(q.op);
    const key = formatCommand(q.op);
    const hit = this.entries.get(key);
    if (hit) return hit.value as Promise<T>;
    const started = this.generation;
    const quiet = this.writing === 0;
    const value = this.run(q);
    const entry = { scope, value };
    this.entries.set(key, entry);
    // Kept only when no write ran meanwhile (its result may predate or straddle the write).
    const settle = () => {
      if (this.entries.get(key) === entry && !(scope === "pure" || (quiet && this.generation === started)))
        this.entries.delete(key);
    };
    value.then(settle, () => this.entries.get(key) === entry && this.entries.delete(key));
    return value;
  }

  /** Whether a shared read covering `scope` may still be used: no write of ours touched it. */
  untouched(scope: Scope): boolean {
    return !this.written.some((w) => overlaps(scope, w));
  }

  /** Runs ops that go as one command: one op (joined with other resources' when its family joins), or a chain. */
  async write(ops: readonly Op[]): Promise<void> {
    const scopes = [...new Set(ops.flatMap(writeScopes))];
    this.forget(scopes);
    this.writing++;
    try {
      if (ops.length === 1) await this.joins.run(ops[0]);
      else await runChain(this.host, ops);
    } finally {
      this.writing--;
      this.forget(scopes);
    }
  }

  forgetAll(): void {
    this.forget(["*"]);
  }

  private forget(scopes: Scope[]): void {
    this.generation++;
    for (const s of scopes) if (!this.written.includes(s)) this.written.push(s);
    for (const [key, entry] of this.entries) if (scopes.some((s) => overlaps(entry.scope, s))) this.entries.delete(key);
  }

  private async run<T>(q: Query<T>): Promise<T> {
    if (!q.parts) return q.parse(await this.joins.run(q.op));
    return q.parse((await Promise.all(q.parts.map((op) => this.joins.run(op)))).join(""));
  }
}

let caches = new WeakMap<Transport, HostCache>();

// Reads are shared only where a process serves ONE Pulumi operation: the dynamic-provider
// plugin (its script is argv[1], however Node was started). Elsewhere (a test calling the
// entry point across many operations, with drift made in between) every read runs.
let sharing = /[\\/]cmd[\\/]dynamic-provider([\\/]|$)/.test(process.argv[1] ?? "");

/** Turns the per-host read cache on or off for this process and empties it (tests); returns the previous setting. */
export function shareReads(on: boolean): boolean {
  const before = sharing;
  sharing = on;
  caches = new WeakMap();
  return before;
}

function cacheOf(host: Transport): HostCache {
  let cache = caches.get(host);
  if (!cache) caches.set(host, (cache = new HostCache(host)));
  return cache;
}

/**
 * Runs a reading. `shared: false` for a read that writes will follow at once (a delete):
 * a host-wide read would be made stale by them before any other resource used it.
 */
export async function runReading<Live>(
  host: Transport,
  reading: Reading<Live>,
  options: { shared?: boolean } = {},
): Promise<Live> {
  const cache = cacheOf(host);
  let step: Live | Reading<Live> = reading;
  while (isReading(step)) {
    const round: Reading<Live> = step;
    try {
      const shared = round.shared;
      if (
        sharing &&
        shared &&
        options.shared !== false &&
        cache.untouched(shared.query.scope ?? readScope(shared.query.op))
      ) {
        const picked = shared.pick(await cache.read(shared.query));
        if (picked !== undefined) {
          step = picked;
          continue;
        }
      }
      // A round's queries do not depend on each other: they run side by side.
      step = round.next(await Promise.all(round.queries.map((q) => cache.read(q))));
    } catch (error) {
      // What the core refuses after reading (an OpenFlow version) names the host, as a command's failure does.
      if (error instanceof Error && !error.message.startsWith(host.label))
        error.message = `${host.label}: ${error.message}`;
      throw error;
    }
  }
  return step;
}

/** Drops every read kept for `host`, shared ones for good: for a wait on someone else's change. */
export function forgetReads(host: Transport): void {
  caches.get(host)?.forgetAll();
}

/**
 * Runs ops in order, consecutive namespace commands as one (a chain); each makes the host's
 * cached reads it may change stale.
 */
export async function runWrites(host: Transport, ops: readonly Op[]): Promise<void> {
  const cache = cacheOf(host);
  // OVSLAB_SHOW_COMMANDS=1 pulumi up: each command, as `ovslab plan` prints it, on the
  // provider's stderr (the engine shows it). Commands never hold the connection's secrets.
  const show = Boolean(process.env.OVSLAB_SHOW_COMMANDS);
  for (const group of chains(ops)) {
    if (show) process.stderr.write(formatScript(group));
    await cache.write(group);
  }
}
