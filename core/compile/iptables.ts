// iptables NAT rules for router namespaces, written exactly as `iptables-save` prints them
// (option order -s -d -i -o -j, hosts as /32) so desired and live rules compare as text.
// Changes go in one `iptables-restore --noflush` run: atomic per table, other chains kept.
import { Op } from "../shell";
import { netnsExec } from "./ip";

/** A rule: its chain and its options after `-A CHAIN`. */
export interface Rule {
  chain: string;
  spec: string;
}

/** Our chains, each jumped to from the built-in chain of the same hook. */
export const OUR_CHAINS = {
  PREROUTING: "ovslab-PREROUTING",
  OUTPUT: "ovslab-OUTPUT",
  POSTROUTING: "ovslab-POSTROUTING",
} as const;

export type Hook = keyof typeof OUR_CHAINS;
export const HOOKS = Object.keys(OUR_CHAINS) as Hook[];

const host = (ip: string) => `${ip}/32`;

/** The jump from a built-in chain into ours. */
export function jumpRule(hook: Hook): Rule {
  return { chain: hook, spec: `-j ${OUR_CHAINS[hook]}` };
}

/** SNAT of a subnet leaving `outInterface`; iptables-save omits `-s 0.0.0.0/0`. */
export function snatRule(source: string, outInterface: string, toSource: string): Rule {
  const match = source === "0.0.0.0/0" ? "" : `-s ${source} `;
  return { chain: OUR_CHAINS.POSTROUTING, spec: `${match}-o ${outInterface} -j SNAT --to-source ${toSource}` };
}

/** DNAT of a floating IP to its fixed IP, for packets arriving (PREROUTING) or made here (OUTPUT). */
export function dnatRule(hook: "PREROUTING" | "OUTPUT", floatingIp: string, fixedIp: string): Rule {
  return { chain: OUR_CHAINS[hook], spec: `-d ${host(floatingIp)} -j DNAT --to-destination ${fixedIp}` };
}

/** The fixed IP leaves as its floating IP (only out of the interface that carries it). */
export function floatSnatRule(fixedIp: string, outInterface: string, floatingIp: string): Rule {
  return {
    chain: OUR_CHAINS.POSTROUTING,
    spec: `-s ${host(fixedIp)} -o ${outInterface} -j SNAT --to-source ${floatingIp}`,
  };
}

export const formatRule = (r: Rule): string => `-A ${r.chain} ${r.spec}`;

/** Lines of an iptables-restore file, e.g. `:ovslab-OUTPUT - [0:0]` or `-D OUTPUT -j ovslab-OUTPUT`. */
export type RestoreLine = string;

/** Declaring a user chain in `--noflush` mode creates it, or empties it when it exists. */
export const declareChain = (chain: string): RestoreLine => `:${chain} - [0:0]`;
export const deleteRule = (r: Rule): RestoreLine => `-D ${r.chain} ${r.spec}`;
export const insertFirst = (r: Rule): RestoreLine => `-I ${r.chain} 1 ${r.spec}`;
export const deleteChain = (chain: string): RestoreLine => `-X ${chain}`;

/** A check that succeeds when the nat table of the namespace holds `rule` (`iptables -C`). */
export function natRuleExists(ns: string, rule: Rule): string[] {
  return netnsExec(ns, ["iptables", "-w", "-t", "nat", "-C", rule.chain, ...rule.spec.split(" ")]);
}

/** One atomic `iptables-restore --noflush -w` of the nat table inside the namespace. */
export function restoreNat(ns: string, lines: RestoreLine[], why: string): Op | undefined {
  if (lines.length === 0) return undefined;
  return {
    argv: netnsExec(ns, ["iptables-restore", "--noflush", "-w"]),
    stdin: ["*nat", ...lines, "COMMIT", ""].join("\n"),
    why,
  };
}
