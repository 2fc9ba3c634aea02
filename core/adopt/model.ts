// What `ovslab adopt` reads from a host and what it makes of it: the declarations of a
// program (plain data, in the SDK's args shapes) and the things it leaves alone, each with
// why. Pure; core/adopt/render.ts turns it into TypeScript text.
import { BridgeArgs } from "../schema/bridge";
import { FlowTableArgs } from "../schema/flow";
import { PatchPairArgs } from "../schema/patchPair";
import { RouterNamespaceArgs } from "../schema/router";
import { TunnelPortArgs } from "../schema/tunnelPort";
import { LiveBridges } from "../live/bridge";
import { DumpedFlow } from "../live/flows";
import { LiveNamespace } from "../live/router";

/** The host as the adopt reading returns it (core/adopt/read.ts). */
export interface HostState {
  ovs: LiveBridges;
  /** Every flow of each selected bridge, as `dump-flows --names --no-stats` prints it. */
  flows: Record<string, DumpedFlow[]>;
  /** The selected namespaces, read as a router's read reads one. */
  namespaces: LiveNamespace[];
  /** Links in the host's own namespace (where OVS makes an internal port's device). */
  hostLinks: string[];
}

export interface AdoptOptions {
  /** Bridges to declare, in this order; none: every bridge, by name. */
  bridges: readonly string[];
  /** Namespace name patterns (`*` any run of characters); none: every namespace. */
  netns: readonly string[];
  /** Flow cookies adopted besides 0 (`0x77`); flows of other cookies are listed as comments. */
  cookies: readonly string[];
  /**
   * `project/stack` whose marks count as the program's own: such objects are declared
   * under the resource names their marks carry, without `adopt` (they are the program's
   * already). Objects marked by anyone else are comments. Default none.
   */
  owner?: string;
  /** Whether the program writes `adopt: true` on what it takes over. Default true. */
  adoptFlag?: boolean;
}

/** One resource of the program: its Pulumi name, its args, and whether it takes over what is there. */
export interface Declared<Args> {
  name: string;
  args: Args;
  adopt: boolean;
  /** Comments written above it: what of it was left out, and why. */
  notes: string[];
}

/** A FlowTable as adopt declares it: its rules always inline, as OVS printed them. */
export type AdoptedFlowTable = FlowTableArgs & Required<Pick<FlowTableArgs, "flows">>;

export interface AdoptedProgram {
  /** Where it was read from, for the header (`root@host:22`). */
  source: string;
  bridges: Declared<BridgeArgs>[];
  patchPairs: Declared<PatchPairArgs>[];
  tunnelPorts: Declared<TunnelPortArgs>[];
  flowTables: Declared<AdoptedFlowTable>[];
  routers: Declared<RouterNamespaceArgs>[];
  /** What the program leaves alone, one line each. */
  leftAlone: string[];
}

/** An ownership mark read back: `project/stack/Type/name` (a name may hold `/`). */
export interface Mark {
  stack: string;
  type: string;
  name: string;
}

export function parseMark(mark: string | undefined): Mark | undefined {
  const parts = mark?.split("/") ?? [];
  if (parts.length < 4 || parts.slice(0, 3).some((p) => p === "")) return undefined;
  return { stack: `${parts[0]}/${parts[1]}`, type: parts[2], name: parts.slice(3).join("/") };
}

/** Whose an object is: the program's already (`own`), someone else's ovslab stack's, or nobody's. */
export type Whose = { own: Mark } | { foreign: string } | { free: true };

export function whose(mark: string | undefined, options: AdoptOptions): Whose {
  if (mark === undefined || mark === "") return { free: true };
  const parsed = parseMark(mark);
  if (parsed && options.owner !== undefined && parsed.stack === options.owner) return { own: parsed };
  return { foreign: mark };
}

/** `*` matches any run of characters, everything else itself. */
export function globMatches(pattern: string, name: string): boolean {
  const re = pattern
    .split("*")
    .map((part) => part.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${re}$`).test(name);
}

/** Names made unique within one kind: a second `br-int-flows` becomes `br-int-flows-2`. */
export class Names {
  private readonly taken = new Set<string>();

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}-${n}`;
    this.taken.add(name);
    return name;
  }
}
