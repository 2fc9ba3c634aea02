// A lab as one bash script: the commands each resource's provider would run on an empty
// host, in creation order, commented per resource. Every step is idempotent (the tools'
// --may-exist / replace forms, or a check that skips a step already done), so a second
// run changes nothing.
import { formatScript } from "../core/shell";
import { LabResource, subjectOf } from "./resources";

/** `lab` is a loaded Lab (testing/lab.ts), which calls this: only the fields the script needs. */
export function planScript(
  lab: { project: string; stack: string; resources: readonly LabResource[] },
  source?: string,
): string {
  const head = [
    "#!/usr/bin/env bash",
    `# ovslab plan: project ${lab.project}, stack ${lab.stack}${source ? `, from ${source}` : ""}.`,
    "# Builds the declared lab on a host that has Open vSwitch and iproute2 running; every",
    "# step is idempotent, so running it again changes nothing. Owner marks and cookies are",
    "# the ones `pulumi up` of the same stack writes.",
    "set -euo pipefail",
    "",
  ].join("\n");
  const blocks = lab.resources.map((r) => {
    const title = `# ==== ${subjectOf(r)}${r.id === r.name ? "" : `: ${r.id}`} ====\n`;
    return title + (r.ops.length ? formatScript(r.ops) : "# nothing to do\n");
  });
  return head + "\n" + blocks.join("\n");
}
