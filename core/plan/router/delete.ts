// Deleting a router: our OVS ports go (their devices are in our namespace), then the
// namespace with everything in it, but only when it carries our mark (or, unmarked, holds
// our devices: a create cut before its mark) and holds nothing of anyone else's. `ip netns
// delete` takes all with it (a Neutron l3-agent's iptables chains, its devices, its
// processes' network), so when someone else lives there we remove only ours and leave the
// namespace, unmarked, to them.
import { Op } from "../../shell";
import { LiveRouter, NamespaceTenants } from "../../live/router";
import { LiveTable } from "../../live/iptables";
import { delPort, transaction } from "../../compile/vsctl";
import { deleteChain, deleteRule, HOOKS, jumpRule, OUR_CHAINS, restoreNat } from "../../compile/iptables";
import { namespaceMark, netnsDelete, unmarkNamespace } from "../../compile/ip";
import { isOurLink, ownPorts } from "./index";

const BUILT_IN = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);
const OURS = new Set<string>(Object.values(OUR_CHAINS));
const JUMPS = new Set(HOOKS.map((hook) => `${hook} ${jumpRule(hook).spec}`));

/** What in one iptables table is not ours: chains, rules, a built-in chain's policy other than ACCEPT. */
function foreignRules(name: string, table: LiveTable): string[] {
  const chains = table.chains
    .filter((c) => !BUILT_IN.has(c.name) && !OURS.has(c.name))
    .map((c) => `${name} chain ${c.name}`);
  const policies = table.chains
    .filter((c) => c.policy !== undefined && c.policy !== "ACCEPT")
    .map((c) => `${name} ${c.name} policy ${c.policy}`);
  const rules = table.rules.filter((r) => !OURS.has(r.chain) && !(name === "nat" && JUMPS.has(`${r.chain} ${r.spec}`)));
  return [
    ...chains,
    ...policies,
    ...(rules.length ? [`${rules.length} ${name} rule${rules.length === 1 ? "" : "s"}`] : []),
  ];
}

/** Everything in the namespace that is not ours, in words; empty when it is all ours. */
export function foreignInNamespace(live: LiveRouter, owner: string, tenants: NamespaceTenants): string[] {
  const ourDevices = new Set(ownPorts(live, owner).map((p) => p.name));
  const links = (live.namespace?.links ?? []).filter((l) => !isOurLink(l, ourDevices));
  return [
    ...links.map((l) => `device ${l.name}`),
    ...Object.entries(tenants.tables).flatMap(([name, table]) => foreignRules(name, table)),
    ...(tenants.pids.length
      ? [`${tenants.pids.length} process${tenants.pids.length === 1 ? "" : "es"} (pid ${tenants.pids.join(", ")})`]
      : []),
  ];
}

/** Our NAT chains and the jumps into them, removed; nothing else of the table named. */
function removeOurNat(name: string, nat: LiveTable): Op | undefined {
  const jumps = nat.rules.filter((r) => JUMPS.has(`${r.chain} ${r.spec}`)).map(deleteRule);
  const chains = nat.chains.filter((c) => OURS.has(c.name)).map((c) => c.name);
  const lines = [...jumps, ...chains.map((c) => `-F ${c}`), ...chains.map(deleteChain)];
  return restoreNat(name, lines, `remove our NAT chains and jumps from namespace ${name}`);
}

export function planRouterDelete(name: string, live: LiveRouter, owner: string): Op[] {
  const ours = ownPorts(live, owner);
  const ops: Array<Op | undefined> = [
    transaction(
      ours.map((p) => delPort(p.bridge, p.name, { ifExists: true })),
      `delete the OVS ports of router ${name}`,
    ),
  ];
  const ns = live.namespace;
  const alias = ns?.links.find((l) => l.name === "lo")?.alias;
  const marked = alias === namespaceMark(owner);
  // Unmarked but holding our devices: a create cut before its mark (it comes after the moves).
  const cut = alias === undefined && ours.some((p) => ns?.links.some((l) => l.name === p.name));
  if (!ns || !(marked || cut)) return ops.filter((op): op is Op => op !== undefined);
  const foreign = ns.tenants ? foreignInNamespace(live, owner, ns.tenants) : [];
  if (foreign.length === 0) {
    ops.push(netnsDelete(name));
  } else if (marked) {
    // Our devices went with our ports, our routes with our devices; sysctls stay as they are.
    ops.push(removeOurNat(name, ns.nat));
    ops.push(unmarkNamespace(name, `keep namespace ${name}, unmarked, for what we do not own (${foreign.join(", ")})`));
  }
  return ops.filter((op): op is Op => op !== undefined);
}
