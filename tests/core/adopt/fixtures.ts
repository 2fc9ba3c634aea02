// The hand-built seed lab with a Neutron agent's extras (tests/fixtures/adopt/*.sh), as the
// adopt reading's commands printed it on a lab host: run through readHost's own parsers.
import * as fs from "node:fs";
import * as path from "node:path";
import { readHost } from "../../../core/adopt";
import { AdoptOptions, HostState } from "../../../core/adopt/model";
import { isReading, Reading } from "../../../core/kinds/reading";

export const HAND_BUILT = path.resolve(__dirname, "..", "..", "fixtures", "adopt", "hand-built");

/** The captured file that answers a command of the reading (parse-flows answers in the order asked). */
export function capturedFile(argv: readonly string[], parses: number): string {
  if (argv[0] === "ovs-vsctl") return "ovsdb.json";
  if (argv[0] === "sh") return argv[2].includes("parse-flows") ? `parse-${parses}.txt` : "namespaces.txt";
  return `flows-${argv.at(-1)}-${argv[2]}.txt`;
}

/** The host state readHost makes of the captured output; every command it ran, in order. */
export function handBuilt(options: Partial<AdoptOptions> = {}): { host: HostState; ran: string[][] } {
  const ran: string[][] = [];
  let step: HostState | Reading<HostState> = readHost({ bridges: [], netns: [], cookies: [], ...options });
  while (isReading(step)) {
    const round: Reading<HostState> = step;
    step = round.next(
      round.queries.map((q) => {
        ran.push(q.op.argv);
        const file = capturedFile(
          q.op.argv,
          ran.filter((a) => a[0] === "sh" && a[2].includes("parse-flows")).length - 1,
        );
        return q.parse(fs.readFileSync(path.join(HAND_BUILT, file), "utf8"));
      }),
    );
  }
  return { host: step, ran };
}
