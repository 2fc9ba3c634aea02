// Managed-key reconciliation for OVSDB string maps: we own only the keys we declare(d).

export interface MapChange {
  /** Keys to set, with their wanted values. */
  set: Record<string, string>;
  /** Keys to remove: declared last time, no longer declared, still on the host. */
  remove: string[];
}

export function planMap(
  desired: Record<string, string>,
  live: Record<string, string>,
  previouslyDeclared: Record<string, string> = {},
): MapChange {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) if (live[key] !== value) set[key] = value;
  const remove = Object.keys(previouslyDeclared).filter((key) => !(key in desired) && key in live);
  return { set, remove };
}

/** Only the keys of `live` that `declared` names: what a resource shows as its own. */
export function pickKeys(live: Record<string, string>, declared: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(declared).filter((k) => k in live).map((k) => [k, live[k]]));
}

export function sameList(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
