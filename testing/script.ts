// A lab as one bash script: the commands each resource's provider would run on an empty
// host, in creation order, commented per resource. Every step is idempotent (the tools'
// --may-exist / replace forms, or a check that skips a step already done), so a second
// run changes nothing. A lab spanning hosts gets a section per host, a shell function each,
// and the script runs the section of the host named by its argument.
import { comment, formatScript, quote } from "../core/shell";
import { LabError } from "./errors";
import { LabResource, subjectOf } from "./resources";

type Planned = { project: string; stack: string; resources: readonly LabResource[] };

/** `network` for `root@network:22`: the host part, when no other host of the lab has it. */
export function hostNames(hosts: readonly string[]): Map<string, string[]> {
  const bare = (h: string) => h.replace(/^[^@]*@/, "").replace(/:\d+$/, "");
  return new Map(
    hosts.map((h) => [h, hosts.filter((o) => bare(o) === bare(h)).length === 1 ? [bare(h), h] : [h]]),
  );
}

/**
 * The resources on `host` (`root@network:22` or, when unique, `network`); a clear error
 * naming the lab's hosts otherwise.
 */
export function resourcesOn(lab: Planned, host: string): LabResource[] {
  const hosts = [...new Set(lab.resources.map((r) => r.host))];
  const full = [...hostNames(hosts)].find(([, names]) => names.includes(host))?.[0];
  if (!full)
    throw new LabError([`no resource of this lab is on host "${host}" (hosts: ${hosts.join(", ") || "none"})`]);
  return lab.resources.filter((r) => r.host === full);
}

const blocks = (resources: readonly LabResource[]) =>
  resources.map((r) => {
    const title = comment(`==== ${subjectOf(r)}${r.id === r.name ? "" : `: ${r.id}`} ====`) + "\n";
    return title + (r.ops.length ? formatScript(r.ops) : "# nothing to do\n");
  });

/** `lab` is a loaded Lab (testing/lab.ts), which calls this: only the fields the script needs. */
export function planScript(lab: Planned, source?: string, host?: string): string {
  const resources = host === undefined ? lab.resources : resourcesOn(lab, host);
  const hosts = [...new Set(resources.map((r) => r.host))];
  const head = [
    "#!/usr/bin/env bash",
    comment(`ovslab plan: project ${lab.project}, stack ${lab.stack}${source ? `, from ${source}` : ""}.`),
    ...(host !== undefined ? [comment(`For host ${hosts[0]} only.`)] : []),
    "# Builds the declared lab on a host that has Open vSwitch and iproute2 running; every",
    "# step is idempotent, so running it again changes nothing. Owner marks and cookies are",
    "# the ones `pulumi up` of the same stack writes.",
    "set -euo pipefail",
    "",
  ].join("\n");
  if (hosts.length <= 1) return head + "\n" + blocks(resources).join("\n");
  const names = hostNames(hosts);
  const fn = (h: string) => `host_${hosts.indexOf(h) + 1}`;
  const sections = hosts.map((h) => {
    const mine = resources.filter((r) => r.host === h);
    return [
      comment(`======== host ${h}: ${mine.length} resource${mine.length === 1 ? "" : "s"} ========`),
      `${fn(h)}() {`,
      blocks(mine).join("\n") + "}",
    ].join("\n");
  });
  const usage = `"usage: $0 HOST, one of:" ${hosts.map((h) => quote(names.get(h)![0])).join(" ")}`;
  const dispatch = [
    `case "\${1:-}" in`,
    ...hosts.map((h) => `  ${names.get(h)!.map(quote).join("|")}) ${fn(h)} ;;`),
    `  *) echo ${usage} >&2; exit 2 ;;`,
    "esac",
  ];
  const how = [
    `# This lab spans ${hosts.length} hosts: run the script on each, naming it, e.g.`,
    comment(
      `  ssh -p ${hosts[0].replace(/^.*:/, "")} ${hosts[0].replace(/:\d+$/, "")} bash -s -- ${names.get(hosts[0])![0]} < plan.sh`,
    ),
    "# (or print one host's script alone: ovslab plan <dir> --host NAME).",
    "",
  ].join("\n");
  return head + how + "\n" + sections.join("\n\n") + "\n\n" + dispatch.join("\n") + "\n";
}
