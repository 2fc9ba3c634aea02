// The one function that runs a kind's reads (core/kinds/reading.ts) on a host: each round's
// queries in order, over the host's one connection, then what the core makes of them.
import { isReading, Output, Reading } from "../core/kinds/reading";
import { runChecked, Transport } from "../transport/types";

export async function runReading<Live>(host: Transport, reading: Reading<Live>): Promise<Live> {
  let step: Live | Reading<Live> = reading;
  while (isReading(step)) {
    const round: Reading<Live> = step;
    const outputs: Output[] = [];
    for (const q of round.queries) outputs.push(q.mayFail ? await host.run(q.op) : await runChecked(host, q.op));
    try {
      step = round.next(round.queries.map((q, i) => q.parse(outputs[i].stdout, outputs[i])));
    } catch (error) {
      // What the core refuses after reading (an OpenFlow version) names the host, as a command's failure does.
      if (error instanceof Error) error.message = `${host.label}: ${error.message}`;
      throw error;
    }
  }
  return step;
}
