// The ping matrix an example promises: rows of [from namespace, to address, answers?, why],
// checked with real packets. Shared by `npm start` and the engine tests.
export type PingRow = [from: string, to: string, answers: boolean, why: string];

export interface PingResult {
  row: PingRow;
  answered: boolean;
}

/** argv that pings `to` from inside namespace `from` on the lab host: 3 tries, 1 s each at most. */
export function pingArgv([from, to]: PingRow): string[] {
  return ["ip", "netns", "exec", from, "ping", "-c", "3", "-i", "0.2", "-W", "1", to];
}

/** Runs every row (one at a time: parallel pings would blur the isolation rows). */
export async function runPingMatrix(rows: PingRow[], run: (argv: string[]) => Promise<number>): Promise<PingResult[]> {
  const results: PingResult[] = [];
  for (const row of rows) results.push({ row, answered: (await run(pingArgv(row))) === 0 });
  return results;
}

export const broken = (results: PingResult[]) => results.filter((r) => r.answered !== r.row[2]);

export function formatPingResults(results: PingResult[]): string {
  const word = (ok: boolean) => (ok ? "answers" : "silent");
  const lines = [`  ${"from".padEnd(12)} ${"to".padEnd(12)} ${"expect".padEnd(8)} ${"got".padEnd(8)}      why`];
  for (const { row, answered } of results) {
    const [from, to, answers, why] = row;
    lines.push(
      `  ${from.padEnd(12)} ${to.padEnd(12)} ${word(answers).padEnd(8)} ${word(answered).padEnd(8)} ${answered === answers ? "ok  " : "FAIL"} ${why}`,
    );
  }
  return lines.join("\n");
}

/** A ping row of a lab that spans hosts: the host the `from` namespace is on, then a PingRow. */
export type HostPingRow = [host: string, from: string, to: string, answers: boolean, why: string];

/** Runs every row on its host (one at a time); `run(host, argv)` returns the exit code. */
export async function runHostPingMatrix(
  rows: HostPingRow[],
  run: (host: string, argv: string[]) => Promise<number>,
): Promise<PingResult[]> {
  const results: PingResult[] = [];
  for (const [host, from, to, answers, why] of rows) {
    const row: PingRow = [from, to, answers, `${why} (on ${host})`];
    results.push({ row, answered: (await run(host, pingArgv(row))) === 0 });
  }
  return results;
}
