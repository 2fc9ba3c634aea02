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
import { asFlowsFile, DigestRule, FlowsFile, FlowsFileError, flowsSource, withFlowsFile } from "./flowsFile";

type Props = Record<string, unknown>;

/** Validates inputs without touching the network; every problem becomes a CheckFailure. */
export function check<Spec>(kind: KindDefinition<Spec, unknown>, news: Props): dynamic.CheckResult {
  // Values unknown during preview are checked at apply time, when they are known.
  if (containsUnknown(news)) return { inputs: news };
  const { spec: given, connection, owner } = splitProps(news);
  let loaded: ReturnType<typeof withFlowsFile>;
  try {
    loaded = withFlowsFile(given);
  } catch (error) {
    if (error instanceof FlowsFileError) return { failures: [{ property: "", reason: error.message }] };
    throw error;
  }
  const { spec, from } = loaded;
  const failures: dynamic.CheckFailure[] = [];
  const specResult = validate(kind.schema, spec, { values: true });
  // No `property`: the engine would print its whole value before our reason
  // ("property flows value {[{map[...]}]} has a problem: ..."); the reason names the path.
  const where = from ? `flowsFile ${JSON.stringify(from.file)}: ` : "";
  if (!specResult.ok)
    for (const p of specResult.problems) failures.push({ property: "", reason: where + formatProblem(p) });
  const conn = validate(connectionSchema, connection);
  if (!conn.ok)
    for (const p of conn.problems)
      failures.push({ property: "connection", reason: formatProblem({ ...p, path: `connection.${p.path}` }) });
  const own = validate(ownerSchema, owner);
  if (!own.ok) failures.push({ property: "owner", reason: `owner: ${own.problems[0].rule}` });
  if (failures.length) return { failures };
  // Rules from a file go back to the engine as the file and its digest, never as rules.
  const value = specResult.ok ? (specResult.value as Props) : {};
  if (from) validatedFiles.set(fileKey(kind, spec, from), value); // diff and create need not validate them again
  return { inputs: { ...(from ? asFlowsFile(value, from, value.flows) : value), connection, owner } };
}

interface Parsed<Spec> {
  spec: Spec;
  connection: ConnectionArgs;
  owner: string;
  host: Transport;
  /** The file the spec's rules came from (a FlowTable's `flowsFile`). */
  from?: FlowsFile;
}

/** `rules`: how a `flowsFile` is read: its digest must match (`verify`), or the file as it is now, or not at all. */
function parse<Spec>(
  kind: KindDefinition<Spec, unknown>,
  props: Props,
  rules: DigestRule | "skip" = "verify",
): Parsed<Spec> {
  const { connection, owner } = splitProps(props);
  const conn = connection as ConnectionArgs;
  return { ...specOf(kind, props, rules), connection: conn, owner: owner as string, host: transportFor(conn) };
}

/** The validated spec that inputs (as `check` returned them) stand for, a flowsFile's rules read back in. */
export function specOf<Spec>(
  kind: KindDefinition<Spec, unknown>,
  props: Props,
  rules: DigestRule | "skip" = "verify",
): { spec: Spec; from?: FlowsFile } {
  const given = splitProps(props).spec;
  const source = rules === "skip" ? undefined : flowsSource(given, rules);
  // Thousands of rules from one file are validated once per process, not in every method;
  // once validated, the file is not parsed again (one copy of the rules, not two).
  const key = source && fileKey(kind, source.rest, source.from);
  const known = key ? validatedFiles.get(key) : undefined;
  if (known) return { spec: known as Spec, from: source!.from };
  const from = source?.from;
  const spec = source ? { ...source.rest, flows: source.rules() } : given;
  const result = validate(kind.schema, spec);
  if (!result.ok)
    throw new Error(`${kind.title}: invalid properties: ${result.problems.map(formatProblem).join("; ")}`);
  if (key) validatedFiles.set(key, result.value);
  return { spec: result.value, from };
}

const validatedFiles = new Map<string, unknown>();
const fileKey = (kind: KindDefinition<any, unknown>, spec: Props, from: FlowsFile) =>
  `${kind.key} ${from.sha256} ${JSON.stringify({ ...spec, flows: undefined })}`;

function outputs<Spec>(observed: Spec, p: Parsed<Spec>): Props {
  const spec = p.from ? asFlowsFile(observed as Props, p.from, (p.spec as Props).flows) : (observed as Props);
  return { ...spec, connection: p.connection, owner: p.owner };
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

/**
 * The plan and the host it was made from, read again every half second while the bridge
 * it needs is missing, for at most BRIDGE_WAIT_MS.
 */
async function planWhenBridgeExists<Spec, Live>(
  kind: KindDefinition<Spec, Live>,
  p: Parsed<Spec>,
  previous?: Spec,
): Promise<{ ops: Op[]; before: Live }> {
  const deadline = Date.now() + BRIDGE_WAIT_MS;
  for (;;) {
    try {
      const before = await runReading(p.host, kind.read(p.spec, p.owner));
      return { ops: kind.plan(p.spec, before, p.owner, previous), before };
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

/**
 * The host after `ops` ran on it as `before`, and what it reports wrong, read again while
 * problems may be stale.
 */
async function readBack<Spec, Live>(kind: KindDefinition<Spec, Live>, p: Parsed<Spec>, ops: Op[], before: Live) {
  const deadline = Date.now() + PROBLEM_SETTLE_MS;
  const reading = kind.readAfter?.(p.spec, p.owner, ops, before) ?? kind.read(p.spec, p.owner);
  for (;;) {
    const after = await runReading(p.host, reading);
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
  const { ops, before } = await planWhenBridgeExists(kind, p, previous);
  await runWrites(p.host, ops);
  const { after, problems } = await readBack(kind, p, ops, before);
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
  // Refresh may run after the file was edited (its state holds the older digest): read it as it is.
  const p = parse(kind, props, "current");
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
  // What is ours is found by its mark (a flow cookie), so a delete needs no rules file.
  const p = parse(kind, props, "skip");
  const live = await runReading(p.host, (kind.readForDelete ?? kind.read)(p.spec, p.owner), { shared: false });
  await runWrites(p.host, kind.planDelete(p.spec, live, p.owner));
}
