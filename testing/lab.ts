// A loaded lab: every ovslab resource of the program with its validated spec and the
// commands it compiles to from empty, plus finders for what tests ask about most.
import { addLine } from "../core/compile/ofctl";
import { FlowSpec } from "../core/schema/flow";
import { flowRuleCookie } from "../core/plan/flowRule";
import { flowTableCookie } from "../core/plan/flowTable";
import { DeclaredLab, portsOn, PortView } from "../core/graph/declared";
import { Kind, KINDS } from "../core/kinds";
import { LabResource, subjectOf } from "./resources";
import { planScript } from "./script";

/** A flow as a bridge will hold it, and who declares it. */
export interface LabFlow extends FlowSpec {
  bridge: string;
  /** The FlowRule or FlowTable resource's name. */
  resource: string;
  /** The cookie marking it as that resource's, e.g. `0x6f76a1b2c3d4e5f6`. */
  cookie: string;
  /**
   * Its line in the `ovs-ofctl --bundle` input: `add table=0,priority=4,cookie=0x...,in_port=phy-br-ex,actions=NORMAL`.
   */
  line: string;
}

const list = (names: string[]) => (names.length ? names.join(", ") : "none");

export class Lab {
  constructor(
    /** Pulumi project name (owner marks and cookies derive from it). */
    readonly project: string,
    readonly stack: string,
    /** Every ovslab resource, in the order a host is built from empty. */
    readonly resources: readonly LabResource[],
    /** The program's exports (stack outputs), resolved. */
    readonly outputs: Record<string, unknown>,
  ) {}

  /** Resources of one kind, in creation order. */
  ofKind<K extends Kind>(kind: K): LabResource<K>[] {
    return this.resources.filter((r): r is LabResource<K> => r.kind === kind);
  }

  /** A resource by its Pulumi name; `kind` when two kinds use the same name. */
  resource(name: string, kind?: Kind): LabResource {
    const found = this.resources.filter((r) => r.name === name && (!kind || r.kind === kind));
    if (found.length === 1) return found[0];
    if (found.length > 1)
      throw new Error(`${found.map(subjectOf).join(" and ")} share the name "${name}": pass the kind too`);
    throw new Error(
      `no resource "${name}"${kind ? ` of kind ${kind}` : ""} in this lab ` +
        `(resources: ${list(this.resources.map((r) => r.name))})`,
    );
  }

  /** The Bridge resource of bridge `name` (the OVS name, which is also the default resource name). */
  bridge(name: string): LabResource<"bridge"> {
    const found = this.ofKind("bridge").find((r) => r.spec.name === name);
    if (!found)
      throw new Error(
        `no bridge "${name}" in this lab (bridges: ${list(this.ofKind("bridge").map((r) => r.spec.name))})`,
      );
    return found;
  }

  /** The RouterNamespace resource of namespace `name`. */
  router(name: string): LabResource<"routerNamespace"> {
    const found = this.ofKind("routerNamespace").find((r) => r.spec.name === name);
    if (!found)
      throw new Error(
        `no router namespace "${name}" in this lab ` +
          `(namespaces: ${list(this.ofKind("routerNamespace").map((r) => r.spec.name))})`,
      );
    return found;
  }

  /** Patch pairs with an end on `bridge`, or all of them. */
  patchPairs(bridge?: string): LabResource<"patchPair">[] {
    return this.ofKind("patchPair").filter(
      (r) => bridge === undefined || r.spec.a.bridge === bridge || r.spec.b.bridge === bridge,
    );
  }

  /** The specs by kind with each one's host and resource name: what `core/graph` draws. */
  get declared(): DeclaredLab {
    const specs = Object.fromEntries(KINDS.map((k) => [k, this.ofKind(k).map((r) => r.spec)]));
    const placements = Object.fromEntries(
      KINDS.map((k) => [k, this.ofKind(k).map((r) => ({ host: r.host, name: r.name }))]),
    );
    return { ...specs, placements } as unknown as DeclaredLab;
  }

  /** Every port on `bridge`: its Bridge's own, patch pair ends and router interfaces. */
  ports(bridge: string): PortView[] {
    return portsOn(this.declared, bridge);
  }

  /** Every flow on `bridge`, from FlowRules and FlowTables, in creation order. */
  flows(bridge: string): LabFlow[] {
    const flows: LabFlow[] = [];
    for (const r of this.resources) {
      if (r.kind === "flowRule") {
        const { bridge: on, cookie: _c, ...flow } = (r as LabResource<"flowRule">).spec;
        const cookie = flowRuleCookie((r as LabResource<"flowRule">).spec, r.owner);
        if (on === bridge) flows.push({ ...flow, bridge, resource: r.name, cookie, line: addLine(flow, cookie) });
      } else if (r.kind === "flowTable") {
        const spec = (r as LabResource<"flowTable">).spec;
        const cookie = flowTableCookie(spec, r.owner);
        if (spec.bridge === bridge)
          flows.push(
            ...spec.flows.map((flow) => ({ ...flow, bridge, resource: r.name, cookie, line: addLine(flow, cookie) })),
          );
      }
    }
    return flows;
  }

  /** Every command, in order, as exact shell text. */
  get commands(): string[] {
    return this.resources.flatMap((r) => r.commands);
  }

  /**
   * The idempotent bash script that builds this lab on an empty host (what `ovslab plan` prints):
   * for a lab on several hosts, a section per host run by naming the host; `host` for one host's alone.
   */
  script(source?: string, host?: string): string {
    return planScript(this, source, host);
  }
}
