// Bridge and its ports: the one source of truth for their fields, defaults and messages.
import { z } from "zod";
import {
  AdoptArgs,
  adoptField,
  duplicates,
  EVEN_IF_INVALID,
  interfaceName,
  oneOf,
  OWNER_KEY,
  stringMap,
  vlanId,
} from "./common";

export const PORT_TYPES = ["system", "internal", "patch", "vxlan", "gre", "geneve", "tap"] as const;
export const VLAN_MODES = ["access", "trunk", "native-tagged", "native-untagged", "dot1q-tunnel"] as const;
export const FAIL_MODES = ["secure", "standalone"] as const;
export const DATAPATH_TYPES = ["system", "netdev"] as const;
export const OPENFLOW_VERSIONS = [
  "OpenFlow10",
  "OpenFlow11",
  "OpenFlow12",
  "OpenFlow13",
  "OpenFlow14",
  "OpenFlow15",
] as const;

/** A port on a bridge, with its one interface of the same name. */
export interface PortArgs {
  /** OVSDB `Port.name` and `Interface.name`: 1-15 bytes. */
  name: string;
  /** OVSDB `Interface.type`. Default `system` (an existing Linux device, OVS's own default). */
  type?: (typeof PORT_TYPES)[number];
  /** OVSDB `Port.tag`: the access VLAN, 0-4095. Default none. */
  tag?: number;
  /** OVSDB `Port.trunks`: VLANs carried on a trunk port. Default none (all VLANs). */
  trunks?: number[];
  /** OVSDB `Port.vlan_mode`. Default none (OVS decides from tag and trunks). */
  vlanMode?: (typeof VLAN_MODES)[number];
  /** OVSDB `Interface.options`, e.g. `{ peer: "phy-br-ex" }` for patch ports. Only these keys are managed. */
  options?: Record<string, string>;
  /** OVSDB `Port.external_ids`. Only these keys are managed. */
  externalIds?: Record<string, string>;
}

/** An Open vSwitch bridge and the ports this resource owns on it. */
export interface BridgeArgs extends AdoptArgs {
  /** OVSDB `Bridge.name`: 1-15 bytes. Default in a program: the resource name. Changing it replaces the bridge. */
  name: string;
  /** OVSDB `Bridge.fail_mode`. Default `standalone`. Changing it flushes the bridge's flows (OVS does). */
  failMode?: (typeof FAIL_MODES)[number];
  /** OVSDB `Bridge.datapath_type`. Default `system` (kernel); `netdev` is the userspace datapath. */
  datapathType?: (typeof DATAPATH_TYPES)[number];
  /** OVSDB `Bridge.protocols`. Default none (OVS's own default set). */
  protocols?: (typeof OPENFLOW_VERSIONS)[number][];
  /** OVSDB `Bridge.external_ids`. Only these keys are managed. */
  externalIds?: Record<string, string>;
  /** OVSDB `Bridge.other_config`. Only these keys are managed. */
  otherConfig?: Record<string, string>;
  /** Ports this resource owns on the bridge. Ports added by anyone else are left alone. */
  ports?: PortArgs[];
}

const TUNNEL_TYPES = new Set(["vxlan", "gre", "geneve"]);

export const portSpec = z
  .object({
    name: interfaceName,
    type: oneOf(PORT_TYPES).default("system"),
    tag: vlanId.optional(),
    // Sorted: OVS stores a set, so [3,1] and [1,3] are the same trunk list.
    trunks: z.array(vlanId).transform((xs) => [...xs].sort((a, b) => a - b)).optional(),
    vlanMode: oneOf(VLAN_MODES).optional(),
    options: stringMap.default({}),
    externalIds: stringMap.default({}),
  })
  .strict()
  .superRefine((port, ctx) => {
    if (port.type === "patch" && !port.options.peer) {
      ctx.addIssue({ code: "custom", path: ["options", "peer"], message: "is required for a patch port" });
    }
    if (TUNNEL_TYPES.has(port.type) && !port.options.remote_ip) {
      ctx.addIssue({ code: "custom", path: ["options", "remote_ip"], message: `is required for a ${port.type} port` });
    }
    if (OWNER_KEY in port.externalIds) {
      ctx.addIssue({
        code: "custom",
        path: ["externalIds", OWNER_KEY],
        message: "is reserved for ovslab's ownership mark",
      });
    }
    for (const dup of duplicates((port.trunks ?? []).map(String))) {
      ctx.addIssue({ code: "custom", path: ["trunks"], message: `lists VLAN ${dup} more than once` });
    }
  });

export const bridgeSpec = z
  .object({
    name: interfaceName,
    failMode: oneOf(FAIL_MODES).default("standalone"),
    datapathType: oneOf(DATAPATH_TYPES).default("system"),
    protocols: z.array(oneOf(OPENFLOW_VERSIONS)).default([]),
    externalIds: stringMap.default({}),
    otherConfig: stringMap.default({}),
    ports: z.array(portSpec).default([]),
    adopt: adoptField,
  })
  .strict()
  .superRefine((bridge, ctx) => {
    if (Object.hasOwn(Object(bridge.externalIds), OWNER_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["externalIds", OWNER_KEY],
        message: "is reserved for ovslab's ownership mark",
      });
    }
    const names = (Array.isArray(bridge.ports) ? bridge.ports : []).map((p) => String(p?.name));
    for (const dup of duplicates(names)) {
      ctx.addIssue({
        code: "custom",
        path: ["ports", names.lastIndexOf(dup), "name"],
        message: `duplicates port "${dup}"`,
      });
    }
    const self = names.indexOf(bridge.name);
    if (self >= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["ports", self, "name"],
        message: "is the bridge's own internal port, which OVS creates",
      });
    }
  }, EVEN_IF_INVALID);

export type PortSpec = z.output<typeof portSpec>;
export type BridgeSpec = z.output<typeof bridgeSpec>;

// Docs and validation cannot drift apart: the documented args must be what the schema accepts.
bridgeSpec satisfies z.ZodType<BridgeSpec, BridgeArgs>;
