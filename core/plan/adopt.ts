// Adoption: a resource declared with `adopt: true` takes over, in place, the objects of its
// declared names that carry no ovslab mark (a host built by hand); the plan then marks them
// and changes only what differs from the declaration. Objects another owner marked stay
// refused, naming that owner. Flows (flows.ts) and NAT rules (router/nat.ts) have their own
// way to be taken; this is the rule for what carries an external_ids mark.
import { KEPT_KEY, OWNER_KEY } from "../schema/common";

/** Whether an OVSDB row with these external_ids is this owner's to plan: marked ours, or unmarked and adopted. */
export function ownsRow(ids: Readonly<Record<string, string>>, owner: string, adopt: boolean | undefined): boolean {
  const mark = ids[OWNER_KEY];
  return mark === owner || (adopt === true && mark === undefined && ids[KEPT_KEY] === undefined);
}

/** Why a row is not ours, for an OwnershipConflict: its owner, or that `adopt` would take it. */
export function markNote(ids: Readonly<Record<string, string>>): string {
  const mark = ids[OWNER_KEY];
  if (mark !== undefined) return `owned by ${mark}`;
  if (ids[KEPT_KEY] !== undefined) return `kept by ${ids[KEPT_KEY]}`;
  return "it carries no ovslab mark; declare it with adopt: true to take it over in place";
}
