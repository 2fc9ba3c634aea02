// ovs-vsctl sub-commands as argv fragments, named after ovs-vsctl's own verbs, and the
// helper that joins them with `--` into ONE OVSDB transaction (ovsdbapp's transaction()).
import { Op } from "../shell";

/** One ovs-vsctl sub-command, e.g. ["--may-exist", "add-br", "br-int"]. */
export type VsctlCommand = string[];

const BARE = /^[A-Za-z0-9_.\/-]+$/;

/** An OVSDB string atom as ovs-vsctl parses it: bare when safe, else a JSON-style quoted string. */
export function ovsString(value: string): string {
  return BARE.test(value) ? value : JSON.stringify(value);
}

export function addBr(bridge: string, o: { mayExist?: boolean } = {}): VsctlCommand {
  return [...(o.mayExist ? ["--may-exist"] : []), "add-br", bridge];
}

export function delBr(bridge: string, o: { ifExists?: boolean } = {}): VsctlCommand {
  return [...(o.ifExists ? ["--if-exists"] : []), "del-br", bridge];
}

export function addPort(bridge: string, port: string, o: { mayExist?: boolean } = {}): VsctlCommand {
  return [...(o.mayExist ? ["--may-exist"] : []), "add-port", bridge, port];
}

export function delPort(bridge: string, port: string, o: { ifExists?: boolean } = {}): VsctlCommand {
  return [...(o.ifExists ? ["--if-exists"] : []), "del-port", bridge, port];
}

/** A column value, already in ovs-vsctl syntax (`secure`, `[1,2]`, `OpenFlow10,OpenFlow13`). */
export type ColumnValue = string;

/** `set TABLE RECORD col=value ... map:key=value ...`; undefined when there is nothing to set. */
export function set(
  table: string,
  record: string,
  columns: Record<string, ColumnValue>,
  maps: Record<string, Record<string, string>> = {},
): VsctlCommand | undefined {
  const args = Object.entries(columns).map(([col, value]) => `${col}=${value}`);
  for (const [col, entries] of Object.entries(maps)) {
    for (const [key, value] of Object.entries(entries)) args.push(`${col}:${key}=${ovsString(value)}`);
  }
  return args.length ? ["set", table, record, ...args] : undefined;
}

export function clear(table: string, record: string, columns: string[]): VsctlCommand | undefined {
  return columns.length ? ["clear", table, record, ...columns] : undefined;
}

/** `remove TABLE RECORD map key...`: drops map keys. */
export function removeKeys(table: string, record: string, column: string, keys: string[]): VsctlCommand | undefined {
  return keys.length ? ["remove", table, record, column, ...keys] : undefined;
}

/** Joins sub-commands with `--` into one ovs-vsctl run, i.e. one OVSDB transaction. */
export function transaction(commands: Array<VsctlCommand | undefined>, why: string): Op | undefined {
  const present = commands.filter((c): c is VsctlCommand => c !== undefined && c.length > 0);
  if (present.length === 0) return undefined;
  const argv = ["ovs-vsctl"];
  present.forEach((c, i) => argv.push(...(i === 0 ? [] : ["--"]), ...c));
  return { argv, why };
}

// Options a sub-command may carry; any other `--x` is global (`--format`, `--no-wait`...).
const COMMAND_OPTIONS = new Set(["--", "--may-exist", "--if-exists"]);

/** Whether `op` is a transaction as `transaction` builds it: ovs-vsctl and `--`-joined sub-commands only. */
export function isTransaction(op: Op): boolean {
  return (
    op.argv[0] === "ovs-vsctl" &&
    op.stdin === undefined &&
    op.argv.length > 1 &&
    op.argv.slice(1).every((arg) => !arg.startsWith("--") || COMMAND_OPTIONS.has(arg))
  );
}

/** Several transactions as ONE (their sub-commands in order): all of them happen, or none. */
export function joinTransactions(ops: readonly Op[]): Op {
  return {
    argv: ["ovs-vsctl", ...ops.flatMap((op, i) => [...(i === 0 ? [] : ["--"]), ...op.argv.slice(1)])],
    why: ops.map((op) => op.why).join("; "),
  };
}

/** Columns each table's reader asks for (kept with the builders: both speak OVSDB). */
export const BRIDGE_COLUMNS = [
  "_uuid",
  "name",
  "fail_mode",
  "datapath_type",
  "protocols",
  "external_ids",
  "other_config",
  "ports",
];
export const PORT_COLUMNS = ["_uuid", "name", "tag", "trunks", "vlan_mode", "external_ids", "interfaces"];
export const INTERFACE_COLUMNS = ["_uuid", "name", "type", "options", "ofport", "error", "external_ids"];

/**
 * One read of everything a bridge resource needs, in one ovs-vsctl run: the bridge row
 * (none when absent) and every Port and Interface row (to see names used on other bridges).
 */
export function readBridges(names: readonly string[]): Op {
  const find = names.length === 1 ? ["find", "Bridge", `name=${ovsString(names[0])}`] : ["list", "Bridge"];
  return {
    argv: [
      "ovs-vsctl", "--format=json",
      `--columns=${BRIDGE_COLUMNS.join(",")}`, ...find,
      "--", `--columns=${PORT_COLUMNS.join(",")}`, "list", "Port",
      "--", `--columns=${INTERFACE_COLUMNS.join(",")}`, "list", "Interface",
    ],
    why: `read ${names.length === 1 ? `bridge ${names[0]}` : "all bridges"}, its ports and interfaces`,
  };
}

/**
 * The Port rows a router needs, not every port on the host: every bridge (names and the
 * ports column), the ports carrying `owner`'s mark, the ports of the given names and the
 * interfaces of those names (a router's port and its interface share the name, so one
 * round trip usually reads all). One `ovsdb-client transact` of selects, filtered by the
 * server: ovs-vsctl would fetch every Port and Interface row of the host to run a `find`
 * (312 against 84 ms at 1,000 ports). Prints one result per select (`parseSelects`,
 * core/live/ovsdb.ts): the bridges, the marked ports, then a port and an interface result
 * per name.
 */
export function readMarkedPorts(ownerKey: string, owner: string, names: readonly string[]): Op {
  const port = (where: unknown[]) => select("Port", [where], PORT_COLUMNS);
  return selects(
    [
      select("Bridge", [], BRIDGE_COLUMNS),
      port(["external_ids", "includes", ["map", [[ownerKey, owner]]]]),
      ...names.map((n) => port(["name", "==", n])),
      ...names.map((n) => select("Interface", [["name", "==", n]], INTERFACE_COLUMNS)),
    ],
    `read the bridges and the ports of ${owner}`,
  );
}

/** Interface rows by UUID, in one result. */
export function readInterfaces(uuids: readonly string[]): Op {
  // A where clause is a conjunction: one select per row, their rows joined by the parser's caller.
  return selects(
    uuids.map((u) => select("Interface", [["_uuid", "==", ["uuid", u]]], INTERFACE_COLUMNS)),
    `read ${uuids.length} interface(s)`,
  );
}

/** An OVSDB select (RFC 7047 5.2.2): rows of `table` matching every condition of `where`. */
interface Select {
  op: "select";
  table: string;
  where: unknown[][];
  columns: string[];
}

const select = (table: string, where: unknown[][], columns: string[]): Select => ({
  op: "select",
  table,
  where,
  columns,
});

/** Read-only OVSDB operations (selects) as one `ovsdb-client transact` on the Open_vSwitch database. */
function selects(operations: readonly Select[], why: string): Op {
  return { argv: ["ovsdb-client", "transact", JSON.stringify(["Open_vSwitch", ...operations])], why };
}

/** The selects of an `ovsdb-client transact` that only selects (what `selects` builds), or undefined. */
function selectsOf(op: Op): Select[] | undefined {
  if (op.argv.length !== 3 || op.argv[0] !== "ovsdb-client" || op.argv[1] !== "transact" || op.stdin) return undefined;
  const [db, ...operations] = JSON.parse(op.argv[2]) as [string, ...Select[]];
  return db === "Open_vSwitch" && operations.every((o) => o.op === "select") ? operations : undefined;
}

export const isSelectRead = (op: Op): boolean => selectsOf(op) !== undefined;

/**
 * Several select reads as ONE transaction, each distinct select once (every router asks for
 * every bridge), and how to cut its output back into each read's own, as if it ran alone.
 */
export function joinSelects(ops: readonly Op[]): { op: Op; split(stdout: string): string[] } {
  const distinct = new Map<string, number>();
  const indexes = ops.map((op) =>
    selectsOf(op)!.map((o) => {
      const key = JSON.stringify(o);
      if (!distinct.has(key)) distinct.set(key, distinct.size);
      return distinct.get(key)!;
    }),
  );
  const operations = [...distinct.keys()].map((key) => JSON.parse(key) as Select);
  return {
    op: selects(operations, ops.map((op) => op.why).join("; ")),
    split: (stdout) => {
      const results = JSON.parse(stdout) as unknown[];
      return indexes.map((at) => JSON.stringify(at.map((i) => results[i] ?? null)) + "\n"); // as ovsdb-client prints
    },
  };
}
