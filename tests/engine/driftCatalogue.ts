// What the drift catalogue (drift.test.ts) is made of: a drift made by hand on the lab host,
// where `preview --diff` must name it, and how the preview's text is cut into resources.
import type { LabHost } from "../../lab";

export interface Drift {
  /** The kind of hand change, e.g. "port tag". */
  kind: string;
  /** Makes it on the lab host, as a person would (not over SSH, not logged). */
  make(lab: LabHost): Promise<unknown>;
  /**
   * By the Pulumi name of each resource the preview must show changing, what its part of
   * `preview --diff` must hold: the field with the host's and the declared value. Empty
   * when nothing we manage drifts.
   */
  names: Record<string, RegExp[]>;
  /** After the repairing `up`: the host as declared again (beyond the clean preview). */
  check?(lab: LabHost): Promise<void>;
}

export interface Round {
  title: string;
  drifts: Drift[];
  /**
   * A project directory of its own (under tests/fixtures) for what the seed lab does not
   * declare: its stack is brought up on the same lab host before the drifts and destroyed
   * after the round.
   */
  project?: string;
  /** `up` must refuse, saying this, before `afterRefusal` puts things right by hand. */
  refused?: RegExp;
  afterRefusal?(lab: LabHost): Promise<unknown>;
}

/**
 * `preview --diff` text cut into each resource's part, by Pulumi name (the urn's last
 * segment): from its `~ type: (update)` / `+ type: (create)` line to the next resource's.
 */
export function resourceBlocks(stdout: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const lines = stdout.split("\n");
  let start = -1;
  const close = (end: number) => {
    if (start < 0) return;
    const text = lines.slice(start, end).join("\n");
    const urn = /\[urn=urn:pulumi:[^\]]*::([^:\]]+)\]/.exec(text);
    if (urn) blocks.set(urn[1], (blocks.get(urn[1]) ?? "") + text + "\n");
  };
  lines.forEach((line, i) => {
    if (/^\s*[-+~]*\s*[\w-]+:[\w/:-]+: \((\w[\w-]*)\)\s*$/.test(line)) {
      close(i);
      start = i;
    }
  });
  close(lines.length);
  return blocks;
}

/** What the preview fails to say about one drift, as messages (none when all is named). */
export function namesIn(drift: Drift, blocks: Map<string, string>): string[] {
  return Object.entries(drift.names).flatMap(([resource, shows]) => {
    const block = blocks.get(resource);
    if (block === undefined) return [`${drift.kind}: the preview does not show resource ${resource} changing`];
    if (!/\((update|create|replace)\)/.test(block))
      return [`${drift.kind}: resource ${resource} is not changing: ${block.split("\n")[0].trim()}`];
    return shows.filter((re) => !re.test(block)).map((re) => `${drift.kind}: ${resource}'s diff lacks ${re}`);
  });
}
