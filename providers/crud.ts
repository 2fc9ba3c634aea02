// The CRUD every kind shares: check = schema, read = query + parse, diff/create/update =
// plan(desired, live) -> execute -> read back, delete = plan what we own away.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { formatProblem, validate } from "../core/validation";
import { ownerSchema } from "../core/schema/common";
import { formatArgv } from "../core/shell";
import { connectionLabel, connectionSchema, ConnectionArgs } from "../transport/connection";
import { transportFor } from "../transport/pool";
import { Transport } from "../transport/types";
import { KindDefinition } from "../core/kinds/kind";
import { containsUnknown, sameValue, splitProps } from "./props";
import { runReading, runWrites } from "./read";

type Props = Record<string, unknown>;

/** Validates inputs without touching the network; every problem becomes a CheckFailure. */
export function check<Spec>(kind: KindDefinition<Spec, unknown>, news: Props): dynamic.CheckResult {
  // Values unknown during preview are checked at apply time, when they are known.
  if (containsUnknown(news)) return { inputs: news };
  const { spec, connection, owner } = splitProps(news);
  const failures: dynamic.CheckFailure[] = [];
  const specResult = validate(kind.schema, spec);
  if (!specResult.ok) {
    for (const p of specResult.problems) failures.push({ property: p.path.split(/[.[]/)[0] || "", reason: formatProblem(p) });
  }
  const conn = validate(connectionSchema, connection);
  if (!conn.ok) for (const p of conn.problems) failures.push({ property: "connection", reason: formatProblem({ ...p, path: `connection.${p.path}` }) });
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
  if (!result.ok) throw new Error(`${kind.title}: invalid properties: ${result.problems.map(formatProblem).join("; ")}`);
  const conn = connection as ConnectionArgs;
  return { spec: result.value, connection: conn, owner: owner as string, host: transportFor(conn) };
}

function outputs<Spec>(observed: Spec, p: Parsed<Spec>): Props {
  return { ...(observed as Props), connection: p.connection, owner: p.owner };
}

export async function diff<Spec, Live>(kind: KindDefinition<Spec, Live>, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  if (containsUnknown(news)) return { changes: true };
  const before = splitProps(olds);
  const after = splitProps(news);
  const replaces = kind.replaceOn.filter((field) => !sameValue(before.spec[field], after.spec[field]));
  if (replaces.length) return { changes: true, replaces, deleteBeforeReplace: true };
  const desired = parse(kind, news);
  const previous = validate(kind.schema, before.spec);
  const live = await runReading(desired.host, kind.read(desired.spec, desired.owner));
  const ops = kind.plan(desired.spec, live, desired.owner, previous.ok ? previous.value : undefined);
  // Also an update when only the recorded state is stale (e.g. a new connection port).
  const stateChanged = !sameValue(before.spec, after.spec) || !sameValue(before.connection, after.connection);
  return { changes: ops.length > 0 || stateChanged };
}

async function converge<Spec, Live>(kind: KindDefinition<Spec, Live>, p: Parsed<Spec>, previous?: Spec): Promise<Props> {
  const live = await runReading(p.host, kind.read(p.spec, p.owner));
  await runWrites(p.host, kind.plan(p.spec, live, p.owner, previous));
  const after = await runReading(p.host, kind.read(p.spec, p.owner));
  const where = `${connectionLabel(p.connection)}: ${kind.title} ${kind.idOf(p.spec, p.owner)}`;
  const problems = kind.verify?.(p.spec, after) ?? [];
  if (problems.length) throw new Error(`${where}: applied, but the host reports: ${problems.join("; ")}`);
  const left = kind.plan(p.spec, after, p.owner, previous);
  if (left.length) throw new Error(`${where}: did not converge; still pending: ${left.map((op) => formatArgv(op.argv)).join("; ")}`);
  return outputs(kind.observe(after, p.spec, p.owner)!, p);
}

export async function create<Spec, Live>(kind: KindDefinition<Spec, Live>, inputs: Props): Promise<dynamic.CreateResult> {
  const p = parse(kind, inputs);
  return { id: kind.idOf(p.spec, p.owner), outs: await converge(kind, p) };
}

export async function update<Spec, Live>(kind: KindDefinition<Spec, Live>, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  const previous = validate(kind.schema, splitProps(olds).spec);
  return { outs: await converge(kind, parse(kind, news), previous.ok ? previous.value : undefined) };
}

export async function read<Spec, Live>(kind: KindDefinition<Spec, Live>, id: string, props: Props): Promise<dynamic.ReadResult> {
  const p = parse(kind, props);
  const observed = kind.observe(await runReading(p.host, kind.read(p.spec, p.owner)), p.spec, p.owner);
  if (!observed) return { id: "" }; // gone from the host: Pulumi drops it from state
  const outs = outputs(observed, p);
  return { id, props: outs, inputs: outs };
}

export async function remove<Spec, Live>(kind: KindDefinition<Spec, Live>, props: Props): Promise<void> {
  const p = parse(kind, props);
  const live = await runReading(p.host, (kind.readForDelete ?? kind.read)(p.spec, p.owner));
  await runWrites(p.host, kind.planDelete(p.spec, live, p.owner));
}
