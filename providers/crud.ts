// The CRUD every kind shares: check = schema, read = query + parse, diff/create/update =
// plan(desired, live) -> execute -> read back, delete = plan what we own away.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { formatProblem, validate } from "../core/validation";
import { ownerSchema } from "../core/schema/common";
import { formatArgv, Op } from "../core/shell";
import { connectionLabel, connectionSchema, ConnectionArgs } from "../transport/connection";
import { DialError } from "../transport/dial";
import { transportFor } from "../transport/pool";
import { Transport } from "../transport/types";
import { MissingBridgeError } from "../core/plan/errors";
import { OpenFlowVersionError } from "../core/plan/flows";
import { KindDefinition } from "../core/kinds/kind";
import { containsUnknown, sameValue, splitProps } from "./props";
import { forgetReads, runReading, runWrites } from "./read";

type Props = Record<string, unknown>;

/** Validates inputs without touching the network; every problem becomes a CheckFailure. */
export function check<Spec>(kind: KindDefinition<Spec, unknown>, news: Props): dynamic.CheckResult {
  // Values unknown during preview are checked at apply time, when they are known.
  if (containsUnknown(news)) return { inputs: news };
  const { spec, connection, owner } = splitProps(news);
  const failures: dynamic.CheckFailure[] = [];
  const specResult = validate(kind.schema, spec, { values: true });
  // No `property`: the engine would print its whole value before our reason
  // ("property flows value {[{map[...]}]} has a problem: ..."); the reason names the path.
  if (!specResult.ok) for (const p of specResult.problems) failures.push({ property: "", reason: formatProblem(p) });
  const conn = validate(connectionSchema, connection);
  if (!conn.ok)
    for (const p of conn.problems)
      failures.push({ property: "connection", reason: formatProblem({ ...p, path: `connection.${p.path}` }) });
  const own = validate(ownerSchema, owner);
  if (!own.ok) failures.push({ property: "owner", reason: `owner: ${own.problems[0].rule}` });
  if (failures.length) return { failures };
  return { inputs: { ...(specResult.ok ? (specResult.value as Props) : {}), connection, owner } };
}

interface Parsed<Spec> {
  spec: Spec;
  connection: ConnectionArgs;
  owner: string;
  host: Transport;
}

function parse<Spec>(kind: KindDefinition<Spec, unknown>, props: Props): Parsed<Spec> {
  const { spec, connection, owner } = splitProps(props);
  const result = validate(kind.schema, spec);
  if (!result.ok)
    throw new Error(`${kind.title}: invalid properties: ${result.problems.map(formatProblem).join("; ")}`);
  const conn = connection as ConnectionArgs;
  return { spec: result.value, connection: conn, owner: owner as string, host: transportFor(conn) };
}

function outputs<Spec>(observed: Spec, p: Parsed<Spec>): Props {
  return { ...(observed as Props), connection: p.connection, owner: p.owner };
}

export async function diff<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  olds: Props,
  news: Props,
): Promise<dynamic.DiffResult> {
  if (containsUnknown(news)) return { changes: true };
  const before = splitProps(olds);
  const after = splitProps(news);
  const replaces = kind.replaceOn.filter((field) => !sameValue(before.spec[field], after.spec[field]));
  if (replaces.length) return { changes: true, replaces, deleteBeforeReplace: true };
  const desired = parse(kind, news);
  const previous = validate(kind.schema, before.spec);
  let ops: Op[];
  try {
    const live = await runReading(desired.host, kind.read(desired.spec, desired.owner));
    ops = kind.plan(desired.spec, live, desired.owner, previous.ok ? previous.value : undefined);
  } catch (error) {
    // The host lost what this resource stands on (a bridge deleted by hand, its OpenFlow
    // versions changed, ovs-vswitchd not running it): the resource that owns it repairs it first in the same `up`, so
    // this one will change too. A preview must not fail because the host drifted.
    if (hostDrifted(error)) return { changes: true };
    if (hostUnreachable(error)) {
      // Fail in the apply, not here: an error in diff ends the whole deployment (the engine
      // stops planning steps), even under `pulumi up --continue-on-error`; a failed update
      // fails this resource and what depends on it, and other hosts go on converging.
      const message = (error as Error).message;
      console.warn(`ovslab: ${message}: its ${kind.title} shows as an update, which fails until the host answers`);
      return { changes: true };
    }
    throw error;
  }
  // Also an update when only the recorded state is stale (e.g. a new connection port); but
  // not for `adopt` alone: it acts only on unmarked objects, which the plan above would show.
  const stateChanged =
    !sameValue(withoutAdopt(before.spec), withoutAdopt(after.spec)) || !sameValue(before.connection, after.connection);
  return { changes: ops.length > 0 || stateChanged };
}

/** The spec without `adopt`, which changes nothing once what it adopted carries our marks. */
function withoutAdopt(spec: Props): Props {
  const { adopt: _adopt, ...rest } = spec;
  return rest;
}

/** How long an apply waits for a bridge that is missing: another deployment may be creating it right now. */
export const BRIDGE_WAIT_MS = 20_000;

/** The plan, read again every half second while the bridge it needs is missing, for at most BRIDGE_WAIT_MS. */
async function planWhenBridgeExists<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  p: Parsed<Spec>,
  previous?: Spec,
): Promise<Op[]> {
  const deadline = Date.now() + BRIDGE_WAIT_MS;
  for (;;) {
    try {
      return kind.plan(p.spec, await runReading(p.host, kind.read(p.spec, p.owner)), p.owner, previous);
    } catch (error) {
      // Also missing: a bridge in OVSDB whose OpenFlow socket ovs-vswitchd has not made yet.
      if (!(error instanceof MissingBridgeError || bridgeNotRunning(error))) throw error;
      const message = (error as Error).message;
      if (Date.now() >= deadline)
        throw new MissingBridgeError(`${message} (waited ${BRIDGE_WAIT_MS / 1000} s for it to appear)`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      forgetReads(p.host); // what we wait for is someone else's write: read the host again
    }
  }
}

/**
 * How long a problem the host reports must last before it fails an apply. ovs-vswitchd
 * rewrites `Interface.error` on its own schedule (stats-update-interval, 5 s by default), so
 * an error from before our write can outlive its cause: a patch port whose peer's bridge
 * was deleted still said "No usable peer" just after that bridge was made again.
 */
const PROBLEM_SETTLE_MS = 6_000;

/** The host after an apply, and what it reports wrong, read again while problems may be stale. */
async function readBack<Spec, Live>(kind: KindDefinition<Spec, Live>, p: Parsed<Spec>) {
  const deadline = Date.now() + PROBLEM_SETTLE_MS;
  for (;;) {
    const after = await runReading(p.host, kind.read(p.spec, p.owner));
    const problems = kind.verify?.(p.spec, after) ?? [];
    if (!problems.length || Date.now() >= deadline) return { after, problems };
    await new Promise((resolve) => setTimeout(resolve, 500));
    forgetReads(p.host); // the next read must come from the host, not from what was kept
  }
}

async function converge<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  p: Parsed<Spec>,
  previous?: Spec,
): Promise<Props> {
  await runWrites(p.host, await planWhenBridgeExists(kind, p, previous));
  const { after, problems } = await readBack(kind, p);
  const where = `${connectionLabel(p.connection)}: ${kind.title} ${kind.idOf(p.spec, p.owner)}`;
  if (problems.length) throw new Error(`${where}: applied, but the host reports: ${problems.join("; ")}`);
  const left = kind.plan(p.spec, after, p.owner, previous);
  if (left.length)
    throw new Error(`${where}: did not converge; still pending: ${left.map((op) => formatArgv(op.argv)).join("; ")}`);
  return outputs(kind.observe(after, p.spec, p.owner)!, p);
}

/** A value as Pulumi's wire format marks a secret (the SDK's `specialSigKey` and `specialSecretSig`). */
function asSecret(value: unknown): Record<string, unknown> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export async function create<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  inputs: Props,
): Promise<dynamic.CreateResult> {
  const p = parse(kind, inputs);
  const id = kind.idOf(p.spec, p.owner);
  try {
    return { id, outs: await converge(kind, p) };
  } catch (error) {
    // Part of it may be on the host already. An error carrying an id makes Pulumi keep the
    // resource in state (its create "failed to initialize"), so the next `up` converges it
    // and `destroy` removes what carries our mark; there is nothing else to remove.
    // Pulumi re-marks a successful create's outputs secret where the inputs were, but not
    // these: the connection (its private key) goes in as an explicit secret value.
    const failure = error instanceof Error ? error : new Error(String(error));
    const properties = { ...outputs(p.spec, p), connection: asSecret(p.connection), __provider: inputs.__provider };
    throw Object.assign(failure, { id, properties, reasons: [failure.message] });
  }
}

export async function update<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  olds: Props,
  news: Props,
): Promise<dynamic.UpdateResult> {
  const previous = validate(kind.schema, splitProps(olds).spec);
  return { outs: await converge(kind, parse(kind, news), previous.ok ? previous.value : undefined) };
}

/**
 * ovs-ofctl's answer for a bridge that is in OVSDB but that ovs-vswitchd does not run (not
 * set up yet, or not at all: the system datapath without its kernel module).
 */
function bridgeNotRunning(error: unknown): boolean {
  return /is not a bridge or a socket/.test(String((error as Error)?.message));
}

/** An error that says the host drifted under a resource, not that the resource is wrong. */
function hostDrifted(error: unknown): boolean {
  return error instanceof MissingBridgeError || error instanceof OpenFlowVersionError || bridgeNotRunning(error);
}

/** No SSH connection could be made (refused, timed out), as opposed to one refused for its credentials or key. */
function hostUnreachable(error: unknown): boolean {
  return error instanceof DialError && error.transient;
}

export async function read<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  id: string,
  props: Props,
): Promise<dynamic.ReadResult> {
  const p = parse(kind, props);
  let live: Live;
  try {
    live = await runReading(p.host, kind.read(p.spec, p.owner));
  } catch (error) {
    // What stands on a bridge that cannot be read right now (e.g. flows on a bridge whose
    // protocols lost OpenFlow 1.4, or that ovs-vswitchd does not run) keeps its recorded
    // state; the next `up` repairs the bridge.
    if (hostDrifted(error)) return { id, props: outputs(p.spec, p), inputs: outputs(p.spec, p) };
    throw error;
  }
  const observed = kind.observe(live, p.spec, p.owner);
  if (!observed) return { id: "" }; // gone from the host: Pulumi drops it from state
  const outs = outputs(observed, p);
  return { id, props: outs, inputs: outs };
}

export async function remove<Spec, Live>(kind: KindDefinition<Spec, Live>, props: Props): Promise<void> {
  const p = parse(kind, props);
  const live = await runReading(p.host, (kind.readForDelete ?? kind.read)(p.spec, p.owner), { shared: false });
  await runWrites(p.host, kind.planDelete(p.spec, live, p.owner));
}
