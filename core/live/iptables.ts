// Decodes one table of `iptables-save` output: its chains and rules, rules kept as the
// text iptables-save prints after `-A CHAIN` (compile/iptables writes ours the same way).
import { Rule } from "../compile/iptables";

export interface LiveChain {
  name: string;
  /** `ACCEPT`/`DROP` for built-in chains; undefined for user chains (`-`). */
  policy?: string;
}

export interface LiveTable {
  chains: LiveChain[];
  /** Every rule in the host's order. */
  rules: Rule[];
}

/** The `*table` section of iptables-save output; an empty table when it is not there. */
export function parseIptablesSave(text: string, table: string): LiveTable {
  const chains: LiveChain[] = [];
  const rules: Rule[] = [];
  let inTable = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      inTable = line.slice(1) === table;
      continue;
    }
    if (!inTable) continue;
    if (line === "COMMIT") {
      inTable = false;
    } else if (line.startsWith(":")) {
      const [name, policy] = line.slice(1).split(/\s+/);
      chains.push({ name, ...(policy && policy !== "-" ? { policy } : {}) });
    } else if (line.startsWith("-A ")) {
      const match = /^-A (\S+) (.*)$/.exec(line);
      if (!match) throw new Error(`iptables-save: cannot read rule "${line}"`);
      rules.push({ chain: match[1], spec: match[2] });
    } else {
      throw new Error(`iptables-save: unexpected line "${line}" in table ${table}`);
    }
  }
  return { chains, rules };
}

export function rulesOf(table: LiveTable, chain: string): string[] {
  return table.rules.filter((r) => r.chain === chain).map((r) => r.spec);
}

export function hasChain(table: LiveTable, chain: string): boolean {
  return table.chains.some((c) => c.name === chain);
}
