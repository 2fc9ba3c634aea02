// The hand-built seed lab with a Neutron agent's extras (tests/fixtures/adopt/*.sh), as the
// adopt reading's commands printed it on a lab host: run through readHost's own parsers.
import * as fs from "node:fs";
import * as path from "node:path";
import { readHost } from "../../../core/adopt";
import { AdoptOptions, HostState } from "../../../core/adopt/model";
import { isReading, Reading } from "../../../core/kinds/reading";

export const HAND_BUILT = path.resolve(__dirname, "..", "..", "fixtures", "adopt", "hand-built");

/** Which captured file answers a command of the reading. */
function captured(argv: readonly string[]): string {
  const file =
    argv[0] === "ovs-vsctl" ? "ovsdb.json" : argv[0] === "sh" ? "namespaces.txt" : `flows-${argv.at(-1)}.txt`;
  return fs.readFileSync(path.join(HAND_BUILT, file), "utf8");
}

/** The host state readHost makes of the captured output; every command it ran, in order. */
export function handBuilt(options: Partial<AdoptOptions> = {}): { host: HostState; ran: string[][] } {
  const ran: string[][] = [];
  let step: HostState | Reading<HostState> = readHost({ bridges: [], netns: [], cookies: [], ...options });
  while (isReading(step)) {
    const round: Reading<HostState> = step;
    step = round.next(round.queries.map((q) => (ran.push(q.op.argv), q.parse(captured(q.op.argv)))));
  }
  return { host: step, ran };
}
