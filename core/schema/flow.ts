// FlowRule and FlowTable: the one source of truth for their fields, defaults and messages.
// Match and actions are ovs-ofctl flow text, validated by reading them (flowMatch.ts,
// flowActions.ts) so that a typo fails `check`, not the bundle halfway through `up`.
import { z } from "zod";
import { AdoptArgs, adoptField, interfaceName } from "./common";
import { cookieSchema } from "../openflow/cookie";
import { matchProblems, parseMatch } from "../openflow/match";
import { actionProblems, MAX_TABLE } from "../openflow/actions";
import { badCharacter } from "../openflow/syntax";

/** One OpenFlow rule, in the words of ovs-ofctl(8) "Flow Syntax". */
export interface FlowArgs {
  /** OpenFlow table, 0-253 (OVS keeps table 254 for itself). Default `0`. */
  table?: number;
  /** 0-65535; among matching rules the highest priority wins. Default `32768` (OVS's default). */
  priority?: number;
  /** Match fields as ovs-ofctl takes them (ovs-fields(7)), port names allowed: `in_port=phy-br-ex,dl_vlan=1`. Default `""` (every packet). */
  match?: string;
  /** Actions as ovs-ofctl takes them (ovs-actions(7)): `strip_vlan,NORMAL`; `drop` to drop. */
  actions: string;
  /** `idle_timeout`: seconds without a matching packet before OVS removes the rule (the next `up` restores it); 0 = never. Default `0`. */
  idleTimeout?: number;
  /** `hard_timeout`: seconds before OVS removes the rule regardless; 0 = never. Default `0`. */
  hardTimeout?: number;
}

/** One OpenFlow rule on a bridge, owned through its cookie. */
export interface FlowRuleArgs extends FlowArgs, AdoptArgs {
  /** OVSDB `Bridge.name` of the bridge whose flow table holds the rule. Changing it replaces the rule. */
  bridge: string;
  /** OpenFlow cookie marking the rule as this resource's, `"0x..."` (64 bits, not 0). Default: derived from the resource (stable, unique). Changing it replaces the rule. */
  cookie?: string;
}

/** Many OpenFlow rules on one bridge as one resource: one cookie, written in one bundle. */
export interface FlowTableArgs extends AdoptArgs {
  /** OVSDB `Bridge.name` of the bridge whose flow table holds the rules. Changing it replaces the table. */
  bridge: string;
  /** The rules; no two with the same table, priority and match (OVS would keep only one). Default `[]`; or give `flowsFile`. */
  flows?: FlowArgs[];
  /**
   * A JSON file holding the rules instead of `flows` (an array of flows in the shape of `flows`), its path relative
   * to the directory Pulumi runs the program in. For thousands of rules: Pulumi then holds only this path and
   * `flowsSha256` in its inputs and state, not every rule, and the provider reads the file.
   */
  flowsFile?: string;
  /** SHA-256 (hex) of `flowsFile`'s content, filled in by the SDK when the program runs; a file that no longer matches is refused. */
  flowsSha256?: string;
  /** OpenFlow cookie of every rule, `"0x..."` (64 bits, not 0). Default: derived from the resource (stable, unique). Changing it replaces the table. */
  cookie?: string;
}

const whole = (min: number, max: number, why = "") =>
  z
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be ${min}-${max}${why}`)
    .max(max, `must be ${min}-${max}${why}`);

const flowFields = {
  table: whole(0, MAX_TABLE, " (OVS keeps table 254 for itself)").default(0),
  priority: whole(0, 65535).default(32768),
  match: z.string({ message: "must be a string" }).default(""),
  actions: z.string({ message: 'must be a string, e.g. "NORMAL" or "drop"' }),
  idleTimeout: whole(0, 65535).default(0),
  hardTimeout: whole(0, 65535).default(0),
};

type FlowFields = { table: number; match: string; actions: string };

/** Reads match, then actions in the light of the match (their prerequisites depend on it). */
function checkFlowText(flow: FlowFields, ctx: z.RefinementCtx): void {
  for (const message of matchProblems(flow.match)) ctx.addIssue({ code: "custom", path: ["match"], message });
  const match = badCharacter(flow.match) ? { hasVlan: false } : parseMatch(flow.match);
  for (const message of actionProblems(flow.actions, { match, table: flow.table }))
    ctx.addIssue({ code: "custom", path: ["actions"], message });
}

export const flowSpec = z.object(flowFields).strict().superRefine(checkFlowText);

export const flowRuleSpec = z
  .object({ bridge: interfaceName, ...flowFields, cookie: cookieSchema.optional(), adopt: adoptField })
  .strict()
  .superRefine(checkFlowText);

/** What makes two rules the same rule to OVS: a second `add` replaces the first. */
export function flowIdentity(flow: FlowFields & { priority: number }): string {
  return `table=${flow.table},priority=${flow.priority},${parseMatch(flow.match).canonical}`;
}

export const flowTableSpec = z
  .object({
    bridge: interfaceName,
    flows: z.array(flowSpec).default([]),
    flowsFile: z.string({ message: "must be a path" }).min(1, "must be a path").optional(),
    flowsSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be a SHA-256 digest, 64 hex digits (the SDK fills it in)")
      .optional(),
    cookie: cookieSchema.optional(),
    adopt: adoptField,
  })
  .strict()
  .superRefine((table, ctx) => {
    // The provider reads the file into `flows` (providers/flowsFile.ts): a spec holding both is the user's.
    if (table.flowsFile !== undefined && table.flows.length)
      ctx.addIssue({
        code: "custom",
        path: ["flowsFile"],
        message: "give the rules as flows or as flowsFile, not both",
      });
    const first = new Map<string, number>();
    table.flows.forEach((flow, i) => {
      if (badCharacter(flow.match)) return;
      const id = flowIdentity(flow);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["flows", i],
          message: `has the same table, priority and match as flows[${earlier}]; OVS would keep only one of them`,
        });
    });
  });

export type FlowSpec = z.output<typeof flowSpec>;
export type FlowRuleSpec = z.output<typeof flowRuleSpec>;
export type FlowTableSpec = z.output<typeof flowTableSpec>;

// Docs and validation cannot drift apart: the documented args must be what the schemas accept.
flowRuleSpec satisfies z.ZodType<FlowRuleSpec, FlowRuleArgs>;
flowTableSpec satisfies z.ZodType<FlowTableSpec, FlowTableArgs>;
