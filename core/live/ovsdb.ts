// Decodes `ovs-vsctl --format=json` output: one JSON table per sub-command, one per line,
// cells in OVSDB's JSON notation (["set",[...]], ["map",[[k,v]...]], ["uuid","..."]).

export type Row = Record<string, unknown>;

/** A cell as plain JS: sets become arrays, maps records, uuids strings. */
export function decodeCell(cell: unknown): unknown {
  if (!Array.isArray(cell)) return cell;
  const [tag, value] = cell as [string, unknown];
  if (tag === "uuid" || tag === "named-uuid") return value;
  if (tag === "set") return (value as unknown[]).map(decodeCell);
  if (tag === "map") {
    return Object.fromEntries(
      (value as Array<[unknown, unknown]>).map(([k, v]) => [String(decodeCell(k)), decodeCell(v)]),
    );
  }
  throw new Error(`unknown OVSDB JSON cell ${JSON.stringify(cell)}`);
}

/** Each non-empty line of the output is one table; returns its rows keyed by heading. */
export function parseTables(stdout: string): Row[][] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const table = JSON.parse(line) as { headings: string[]; data: unknown[][] };
      return table.data.map((cells) => Object.fromEntries(table.headings.map((h, i) => [h, decodeCell(cells[i])])));
    });
}

/**
 * Decodes `ovsdb-client transact` output for selects: one result per select, `{rows: [...]}`
 * with cells in the same JSON notation; a refused operation is an error naming OVSDB's reason.
 */
export function parseSelects(stdout: string): Row[][] {
  const results = JSON.parse(stdout) as Array<{ rows?: Row[]; error?: string; details?: string } | null>;
  return results.map((result) => {
    if (!result || !result.rows)
      throw new Error(`OVSDB refused a read: ${result?.error ?? "no result"} ${result?.details ?? ""}`.trim());
    return result.rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, decodeCell(cell)])),
    );
  });
}

/** An optional column (a set of at most one) as its value or undefined. */
export function optional<T>(value: unknown): T | undefined {
  if (Array.isArray(value)) return value.length ? (value[0] as T) : undefined;
  return value as T;
}

export function stringMapOf(value: unknown): Record<string, string> {
  return (value ?? {}) as Record<string, string>;
}

export function listOf<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  return value === undefined || value === null ? [] : [value as T];
}
