// The router's NAT: desired rules for our chains, one atomic iptables-restore when the
// live chains differ, and the SNAT/floating-IP entries the live chains hold. Chains and
// rules that are not ours are never named, so `--noflush` leaves them as they are.
import {
  declareChain,
  deleteRule,
  dnatRule,
  floatSnatRule,
  formatRule,
  HOOKS,
  Hook,
  insertFirst,
  jumpRule,
  natRuleExists,
  OUR_CHAINS,
  restoreNat,
  RestoreLine,
  Rule,
  snatRule,
} from "../../compile/iptables";
import { LiveTable, rulesOf, hasChain } from "../../live/iptables";
import { FloatingIpSpec, RouterNamespaceSpec, SnatSpec } from "../../schema/router";
import { Op } from "../../shell";
import { sameList } from "../maps";

/** Every rule of our chains, per hook, in the order they must run (1:1 NAT before SNAT). */
export function desiredNat(spec: Pick<RouterNamespaceSpec, "snat" | "floatingIps">): Record<Hook, Rule[]> {
  return {
    PREROUTING: spec.floatingIps.map((f) => dnatRule("PREROUTING", f.floatingIp, f.fixedIp)),
    OUTPUT: spec.floatingIps.map((f) => dnatRule("OUTPUT", f.floatingIp, f.fixedIp)),
    POSTROUTING: [
      ...spec.floatingIps.map((f) => floatSnatRule(f.fixedIp, f.interface, f.floatingIp)),
      ...spec.snat.flatMap((s) => s.sources.map((source) => snatRule(source, s.interface, s.toSource))),
    ],
  };
}

const jumps = (live: LiveTable, hook: Hook) =>
  rulesOf(live, hook).filter((spec) => spec === jumpRule(hook).spec).length;

/** Whether one hook's chain, its rules and its single jump are as desired. */
function hookInPlace(live: LiveTable, hook: Hook, rules: Rule[]): boolean {
  const chain = OUR_CHAINS[hook];
  return hasChain(live, chain) && jumps(live, hook) === 1 && sameList(rulesOf(live, chain), rules.map((r) => r.spec));
}

/**
 * Rules written by hand straight into a built-in chain that equal one of ours (a router
 * built by hand): adopting moves them into our chains, in the same commit.
 */
export function handRules(live: LiveTable, desired: Record<Hook, Rule[]>): Rule[] {
  return HOOKS.flatMap((hook) => {
    const ours = new Set(desired[hook].map((r) => r.spec));
    return live.rules.filter((r) => r.chain === hook && ours.has(r.spec));
  });
}

/**
 * One `iptables-restore --noflush` that rewrites our three chains (declaring a chain
 * empties it) and leaves exactly one jump into each; no op when all is in place. Adopting,
 * the same commit deletes the hand-written copies of our rules from the built-in chains:
 * iptables-restore swaps the table whole, so NAT never lacks a rule in between.
 */
export function planNat(ns: string, spec: RouterNamespaceSpec, live: LiveTable, adopt?: boolean): Op[] {
  const desired = desiredNat(spec);
  const taken = adopt ? handRules(live, desired) : [];
  // A hook with nothing to do needs no chain of ours: a namespace without NAT (a lab VM) has none.
  const idle = (hook: Hook) =>
    desired[hook].length === 0 && !hasChain(live, OUR_CHAINS[hook]) && jumps(live, hook) === 0;
  if (taken.length === 0 && HOOKS.every((hook) => idle(hook) || hookInPlace(live, hook, desired[hook]))) return [];
  const lines: RestoreLine[] = HOOKS.map((hook) => declareChain(OUR_CHAINS[hook]));
  for (const hook of HOOKS) {
    const count = jumps(live, hook);
    if (count === 0) lines.push(insertFirst(jumpRule(hook)));
    for (let i = 1; i < count; i++) lines.push(deleteRule(jumpRule(hook)));
  }
  for (const hook of HOOKS) lines.push(...desired[hook].map(formatRule));
  lines.push(...taken.map(deleteRule));
  const from = [...new Set(taken.map((r) => r.chain))].join(", ");
  const moved = taken.length ? ` (taking over ${taken.length} rule(s) written into ${from})` : "";
  const op = restoreNat(ns, lines, `write NAT chains ${HOOKS.map((h) => OUR_CHAINS[h]).join(", ")} in ${ns}${moved}`);
  // Jumps inserted blindly would double on a re-run of a script; one restore writes them all.
  if (op && HOOKS.every((hook) => jumps(live, hook) === 0)) op.unless = natRuleExists(ns, jumpRule("POSTROUTING"));
  return op ? [op] : [];
}

const SNAT = /^(?:-s (\S+) )?-o (\S+) -j SNAT --to-source (\S+)$/;
const DNAT = /^-d (\S+)\/32 -j DNAT --to-destination (\S+)$/;

interface LiveSnat {
  source: string;
  interface: string;
  toSource: string;
}

/**
 * The SNAT and floating-IP entries our chains hold, shaped like `reference` where they
 * agree with it (so a converged router reads back exactly as declared). A floating IP
 * counts only when all its rules and its address (`hasAddress`) are there.
 */
export function observeNat(
  live: LiveTable,
  reference: Pick<RouterNamespaceSpec, "snat" | "floatingIps">,
  hasAddress: (iface: string, cidr: string) => boolean,
): { snat: SnatSpec[]; floatingIps: FloatingIpSpec[] } {
  // A chain's rules act once per jump into it: none without one (a jump deleted by hand
  // shows as the rules missing), twice with two (shown as rules nobody declared).
  const acting = (hook: Hook) =>
    Array.from({ length: jumps(live, hook) }, () => rulesOf(live, OUR_CHAINS[hook])).flat();
  const pre = acting("PREROUTING");
  const out = acting("OUTPUT");
  let post: LiveSnat[] = acting("POSTROUTING").flatMap((spec) => {
    const m = SNAT.exec(spec);
    return m ? [{ source: m[1] ?? "0.0.0.0/0", interface: m[2], toSource: m[3] }] : [];
  });
  const take = (match: (s: LiveSnat) => boolean): LiveSnat | undefined => {
    const found = post.find(match);
    if (found) post = post.filter((s) => s !== found);
    return found;
  };

  const floatingIps: FloatingIpSpec[] = [];
  const dnats = pre.flatMap((spec) => {
    const m = DNAT.exec(spec);
    return m && out.includes(spec) ? [{ floatingIp: m[1], fixedIp: m[2] }] : [];
  });
  const known = new Map(reference.floatingIps.map((f) => [f.floatingIp, f]));
  for (const d of [...dnats].sort(
    (a, b) => rank(reference.floatingIps, a.floatingIp) - rank(reference.floatingIps, b.floatingIp),
  )) {
    const wanted = known.get(d.floatingIp);
    const back = take(
      (s) =>
        s.source === `${d.fixedIp}/32` && s.toSource === d.floatingIp && (!wanted || s.interface === wanted.interface),
    );
    if (back && hasAddress(back.interface, `${d.floatingIp}/32`)) floatingIps.push({ ...d, interface: back.interface });
    else if (back) post.push(back);
    // Its DNAT and address are there, but no way back (SNAT to the floating IP): shown without
    // its interface (which the schema defaults when read back from state), so a fixed IP
    // changed by hand or a deleted SNAT rule is named.
    else if (wanted && hasAddress(wanted.interface, `${d.floatingIp}/32`)) floatingIps.push(d as FloatingIpSpec);
  }

  const snat: SnatSpec[] = [];
  for (const ref of reference.snat) {
    const sources = ref.sources.filter((source) =>
      take((s) => s.source === source && s.interface === ref.interface && s.toSource === ref.toSource),
    );
    if (sources.length) snat.push({ ...ref, sources });
  }
  const extra: SnatSpec[] = []; // rules nobody declared, grouped by interface and address
  for (const s of post) {
    const entry = extra.find((e) => e.interface === s.interface && e.toSource === s.toSource);
    if (entry) entry.sources.push(s.source);
    else extra.push({ interface: s.interface, sources: [s.source], toSource: s.toSource });
  }
  return { snat: [...snat, ...extra], floatingIps };
}

function rank(list: FloatingIpSpec[], fip: string): number {
  const i = list.findIndex((f) => f.floatingIp === fip);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
