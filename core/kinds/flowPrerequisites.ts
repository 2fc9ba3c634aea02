// What OVS needs on the bridge before it takes a flow, which `parse-flows` cannot know: the
// groups a flow names (`group:N`, also inside `clone(...)` and the like) and a TLV mapping
// for each `tun_metadataN` field. ovslab manages neither, so a desired flow naming a missing
// one is refused before any write, with the command that adds it, instead of OVS refusing
// the whole bundle at `up`. The bridge's groups / TLV map are read only when some flow names one.
import { dumpGroups, dumpTlvMap } from "../compile/ofctl";
import { query, Query } from "./reading";

const GROUP = /\bgroup:(0x[0-9a-f]+|\d+)/gi;
// Also in its NXM name, as in `move:NXM_NX_TUN_METADATA0[0..15]->...`.
const TUN_METADATA = /(?:\bnxm_nx_|\b)tun_metadata(\d+)/gi;

/** The numbers `pattern` captures in `line`, as decimal strings. */
function numbersIn(line: string, pattern: RegExp): string[] {
  return [...line.matchAll(pattern)].map((m) => BigInt(m[1]).toString());
}

/** `dump-groups` output: the group ids on the bridge. */
export function parseGroupIds(stdout: string): Set<string> {
  return new Set(numbersIn(stdout, /\bgroup_id=(0x[0-9a-f]+|\d+)/gi));
}

/** `dump-tlv-map` output: the tun_metadata fields that have a mapping. */
export function parseTlvFields(stdout: string): Set<string> {
  return new Set(numbersIn(stdout, TUN_METADATA));
}

export interface Prerequisites {
  queries: Query<Set<string>>[];
  /** The first flow whose prerequisite is missing and why, given the queries' results. */
  refusal(results: readonly unknown[]): { index: number; reason: string } | undefined;
}

/** The reads the desired flow lines need (none when no line names a group or tun_metadata). */
export function prerequisites(bridge: string, lines: readonly string[]): Prerequisites {
  const groups = lines.map((l) => numbersIn(l, GROUP));
  const fields = lines.map((l) => numbersIn(l, TUN_METADATA));
  const queries: Query<Set<string>>[] = [];
  const groupAt = groups.some((g) => g.length) ? queries.push(query(dumpGroups(bridge), parseGroupIds)) - 1 : -1;
  const tlvAt = fields.some((f) => f.length) ? queries.push(query(dumpTlvMap(bridge), parseTlvFields)) - 1 : -1;
  return {
    queries,
    refusal(results) {
      const present = (at: number) => (at < 0 ? new Set<string>() : (results[at] as Set<string>));
      for (let index = 0; index < lines.length; index++) {
        const group = groups[index].find((g) => !present(groupAt).has(g));
        if (group !== undefined) {
          const reason =
            `group ${group} does not exist on ${bridge} (ovslab does not manage groups; add it first: ` +
            `ovs-ofctl -O OpenFlow15 add-group ${bridge} group_id=${group},type=all,bucket=...)`;
          return { index, reason };
        }
        const field = fields[index].find((f) => !present(tlvAt).has(f));
        if (field !== undefined) {
          const reason =
            `tun_metadata${field} has no TLV mapping on ${bridge} (ovslab does not manage TLV maps; add one first: ` +
            `ovs-ofctl add-tlv-map ${bridge} '{class=0xffff,type=0,len=4}->tun_metadata${field}')`;
          return { index, reason };
        }
      }
      return undefined;
    },
  };
}
